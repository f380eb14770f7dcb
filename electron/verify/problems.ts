/** One thing verify found wrong: a stable code and a Vietnamese sentence naming the row. */
export interface VerifyProblem {
  code: string;
  message: string;
}

/** Keeps the first `limit` problems (a database edited wholesale would otherwise list every row) and counts all. */
export class Problems {
  readonly list: VerifyProblem[] = [];
  count = 0;
  constructor(private readonly limit = 200) {}

  add(code: string, message: string): void {
    this.count++;
    if (this.list.length < this.limit) this.list.push({ code, message });
  }
}

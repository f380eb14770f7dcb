/** The search index builder's answer in its shared slot (search-worker.ts writes it, search-aside.ts waits for it): 0 while it builds. */
export const SEARCH_BUILT = 1;
export const SEARCH_FAILED = 2;

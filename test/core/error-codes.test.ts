import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AppError, crossError, ERROR_CODES, uncrossError, type ErrorCode } from '../../electron/core/errors.ts';

test('error codes: one list, each code once, and a code nobody declared does not compile', () => {
  assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
  assert.ok(ERROR_CODES.every((c) => /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(c)));
  const known: ErrorCode = 'LOGIN_FAILED';
  // @ts-expect-error a misspelt code is a compile error (the lint's type check fails on it)
  const misspelt: ErrorCode = 'LOGIN_FAILD';
  assert.equal(new AppError(known, 'x').code, 'LOGIN_FAILED');
  assert.equal(ERROR_CODES.includes(misspelt as (typeof ERROR_CODES)[number]), false);
  // the scanner's reasons travel as SCAN_<reason>
  assert.equal(new AppError('SCAN_TOO_FAST', 'x').code, 'SCAN_TOO_FAST');
});

test('an error crosses to another thread and back: an AppError as thrown (code, message, details), an internal one as its text only', () => {
  const known = new AppError('SNAPSHOT_INVALID', 'Tệp bị từ chối.', { problemCount: 3 });
  const back = uncrossError(structuredClone(crossError(known)));
  assert.ok(back instanceof AppError);
  assert.deepEqual([back.code, back.message, back.details], ['SNAPSHOT_INVALID', 'Tệp bị từ chối.', { problemCount: 3 }]);
  const crossed = structuredClone(crossError(new TypeError('x is undefined')));
  assert.equal(crossed.error.code, 'INTERNAL', 'the other side shows the coded sentence');
  const internal = uncrossError(crossed);
  assert.ok(!(internal instanceof AppError));
  assert.equal(internal.message, 'TypeError: x is undefined', 'the original text reaches the log');
});

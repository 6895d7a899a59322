export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  status: CheckStatus;
  message: string;
  hint: string | null;
}

export function pass(id: string, message: string): CheckResult {
  return { id, status: 'pass', message, hint: null };
}
export function warn(id: string, message: string, hint: string | null = null): CheckResult {
  return { id, status: 'warn', message, hint };
}
export function fail(id: string, message: string, hint: string | null): CheckResult {
  return { id, status: 'fail', message, hint };
}
export function skip(id: string, message: string): CheckResult {
  return { id, status: 'skip', message, hint: null };
}

export interface Summary {
  pass: number;
  warn: number;
  fail: number;
  skip: number;
}

export function summarize(checks: CheckResult[]): Summary {
  const s: Summary = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const c of checks) s[c.status]++;
  return s;
}

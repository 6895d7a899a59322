import { describe, expect, it } from 'vitest';
import {
  ambiguousEnv,
  envNames,
  mergeEnvText,
  mergeGitignore,
  setEnvValues,
} from '../../src/scaffold/env.js';

describe('env and .gitignore merges', () => {
  it('appends only missing names, keeping every existing byte', () => {
    const user = 'export A=1\n# c\nREDIS_PASSWORD="mine"';
    const m = mergeEnvText(
      user,
      [
        { name: 'REDIS_PASSWORD', value: 'x' },
        { name: 'REDIS_URL', value: 'u' },
      ],
      'redis-ops init',
    );
    expect(m.added).toEqual(['REDIS_URL']);
    expect(m.text).toBe(`${user}\n\n# redis-ops init\nREDIS_URL=u\n`);
    expect(mergeEnvText(m.text, [{ name: 'REDIS_URL', value: 'other' }], 'h')).toEqual({
      text: m.text,
      added: [],
    });
    expect([...envNames(m.text)]).toEqual(['A', 'REDIS_PASSWORD', 'REDIS_URL']);
  });

  it.each([
    [null, '.env', '.env\n'],
    ['node_modules', '.env', 'node_modules\n.env\n'],
    ['/.env\n', '.env', '/.env\n'],
    // .env* would hide .env.example: it must stay committable.
    ['.env*\n', '.env.local', '.env*\n!.env.example\n'],
    ['.env*\n!.env.example\n', '.env', '.env*\n!.env.example\n'],
    ['*.env\n', 'prod.env', '*.env\n'],
    // Last match wins: a negation after the rule un-ignores, so init adds it again.
    ['# .env\n.env\n!.env\n', '.env', '# .env\n.env\n!.env\n.env\n'],
    ['.env\r\n', '.env', '.env\r\n'],
  ])('.gitignore %j + %s', (before, file, after) => {
    expect(mergeGitignore(before, file).text).toBe(after);
  });

  it('values dotenv/Node and Compose read differently are refused with the quoting that works', () => {
    expect(ambiguousEnv('REDIS_PASSWORD=s3cr#t\n', 'REDIS_PASSWORD')?.why).toContain('unquoted #');
    expect(ambiguousEnv('REDIS_PASSWORD=p$ss\n', 'REDIS_PASSWORD')?.why).toContain('interpolates $');
    expect(ambiguousEnv('REDIS_PASSWORD="p$ss"\n', 'REDIS_PASSWORD')?.hint).toContain(
      "REDIS_PASSWORD='<the value>'",
    );
    expect(ambiguousEnv("REDIS_PASSWORD='s3cr#t$'\n", 'REDIS_PASSWORD')).toBeUndefined();
    expect(ambiguousEnv('REDIS_PASSWORD=plain # a comment\n', 'REDIS_PASSWORD')).toBeUndefined();
    expect(ambiguousEnv('OTHER=a#b\n', 'REDIS_PASSWORD')).toBeUndefined();
  });

  it('setEnvValues rewrites only the named lines', () => {
    const text = '# c\r\nexport REDIS_PASSWORD=\r\nA=1\nREDIS_PASSWORD=again\n';
    expect(setEnvValues(text, { REDIS_PASSWORD: 'x' })).toBe(
      '# c\r\nexport REDIS_PASSWORD=x\r\nA=1\nREDIS_PASSWORD=again\n',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../src/scaffold/templates.js';

describe('renderTemplate', () => {
  it('fills placeholders and keeps or drops blocks', () => {
    const t = 'a: {{x}}\n{{#on}}\nb: 1\n{{/on}}\n{{#off}}\nc: 2\n{{/off}}\nd: ${{{v}}:-{{p}}}';
    expect(renderTemplate(t, { x: 'y', on: true, off: false, v: 'PORT', p: 1 })).toBe(
      'a: y\nb: 1\nd: ${PORT:-1}',
    );
  });
  it('refuses an unknown placeholder', () => {
    expect(() => renderTemplate('{{nope}}', {})).toThrow('no value for {{nope}}');
  });
});

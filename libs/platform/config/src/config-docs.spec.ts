import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ENV_SCHEMA } from './config.schema';

describe('configuration reference', () => {
  it('documents every environment variable in the README table', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../../../README.md'), 'utf8');
    const documented = new Set([...readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \|/gm)].map((match) => match[1]));
    const variables = Object.keys(ENV_SCHEMA.shape);
    expect(variables.filter((name) => !documented.has(name))).toEqual([]);
    expect([...documented].filter((name) => !variables.includes(name))).toEqual([]);
  });
});

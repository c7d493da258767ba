/**
 * The documentation cannot drift from the code: custom-elements.json is what the analyzer makes
 * of today's sources (byte for byte, so `pnpm build` leaves the tree clean), it lists exactly the
 * events each element's package dispatches, and README.md's API reference is what the manifest gives.
 * Run with `node --import tsx --test scripts/api-docs.test.ts` (part of `pnpm test -- --node-only`).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
// The analyzer's own entry point (the package has no exports map; `cli.js` is its programmatic API).
import { cli } from '@custom-elements-manifest/analyzer/cli.js';
import { manifestElements, readManifest, updateReadme, type Manifest } from './api-docs.ts';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const committedText = readFileSync(join(repoRoot, 'custom-elements.json'), 'utf8');
const manifest = readManifest();

function sourcesOf(dir: string): { path: string; text: string }[] {
  return readdirSync(join(repoRoot, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => ({ path: join(dir, f), text: readFileSync(join(repoRoot, dir, f), 'utf8') }));
}

/** Event name of every event class in the packages (`class X extends Event { … super('ct-x', …) }`), aliases included. */
function eventNamesByClass(): Map<string, string> {
  const names = new Map<string, string>();
  const packages = readdirSync(join(repoRoot, 'packages'));
  const sources = packages.flatMap((p) => sourcesOf(join('packages', p, 'src')));
  for (const { text } of sources) {
    for (const match of text.matchAll(/class (\w+) extends Event\b[\s\S]*?super\(\s*'([^']+)'/g)) {
      names.set(match[1]!, match[2]!);
    }
  }
  for (const { text } of sources) {
    for (const match of text.matchAll(/\b(\w+Event) as (\w+Event)\b/g)) {
      const name = names.get(match[1]!);
      if (name) names.set(match[2]!, name);
    }
  }
  return names;
}

describe('custom-elements.json', () => {
  it('is what the analyzer makes of the sources today, byte for byte (pnpm build leaves the tree clean)', async () => {
    const fresh = (await cli({ argv: ['analyze', '--litelement'], cwd: repoRoot, noWrite: true })) as Manifest;
    const freshText = `${JSON.stringify(fresh, null, 2)}\n`;
    assert.ok(
      freshText === committedText,
      'custom-elements.json is stale or not deterministic: run `pnpm build` (or `pnpm exec cem analyze --litelement`) and commit it',
    );
  });

  it('lists its modules in path order', () => {
    const paths = manifest.modules.map((m) => m.path);
    assert.deepEqual(
      paths,
      [...paths].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
  });

  it('lists for each element exactly the events its package dispatches, each with its class', () => {
    const classes = eventNamesByClass();
    const elements = manifestElements(manifest);
    assert.deepEqual(elements.map((e) => e.element.tagName).sort(), [
      'ct-viewer',
      'measurement-tools',
      'opinion-report',
    ]);
    for (const { element, path } of elements) {
      const packageDir = path.split('/').slice(0, 3).join('/');
      const dispatched = new Set<string>();
      for (const { path: file, text } of sourcesOf(packageDir)) {
        for (const match of text.matchAll(/dispatchEvent\(\s*new\s+(\w+)\s*\(/g)) {
          const name = classes.get(match[1]!);
          assert.ok(name, `${file} dispatches ${match[1]}, which is not an event class of ours`);
          dispatched.add(name);
        }
      }
      const listed = (element.events ?? []).map((e) => e.name);
      assert.deepEqual(
        [...listed].sort(),
        [...dispatched].sort(),
        `<${element.tagName}>: manifest events vs dispatched`,
      );
      assert.equal(new Set(listed).size, listed.length, `<${element.tagName}> lists an event twice`);
      for (const event of element.events ?? []) {
        assert.ok(
          event.type?.text && classes.get(event.type.text) === event.name,
          `${event.name} has its class as type`,
        );
        assert.ok(event.description, `${event.name} is documented with @fires`);
      }
    }
  });
});

describe('README.md API reference', () => {
  it('is what scripts/api-docs.ts generates from custom-elements.json (run it, or pnpm build, after changing JSDoc)', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const expected = await updateReadme(readme, manifest);
    assert.ok(expected === readme, 'README.md is stale: run `pnpm exec tsx scripts/api-docs.ts` and commit it');
  });

  it('has a table row for every attribute, event, part and token of every element', async () => {
    const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### `<ct-viewer>`'));
    for (const { element } of manifestElements(manifest)) {
      const from = section.indexOf(`### \`<${element.tagName}>\``);
      const next = section.indexOf('\n### ', from + 1);
      const own = section.slice(from, next < 0 ? undefined : next);
      const names = [
        ...(element.attributes ?? []).map((a) => a.name),
        ...(element.events ?? []).map((e) => e.name),
        ...(element.cssParts ?? []).map((p) => p.name),
        ...(element.cssProperties ?? []).map((p) => p.name),
      ];
      assert.ok(names.length > 5, `<${element.tagName}> documents its API`);
      for (const name of names)
        assert.match(own, new RegExp(`^\\| \`${name}\` +\\|`, 'm'), `<${element.tagName}> ${name}`);
    }
  });
});

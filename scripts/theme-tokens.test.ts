/**
 * One token set on all three elements, from the manifest (`cem analyze`, the elements' JSDoc):
 * the shared `--ct-*` tokens are documented on every element with the same default, and every
 * token the shipped themes set, and every part they style, is one some element documents.
 */
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../test/support/paths.ts';

interface Declaration {
  tagName?: string;
  cssProperties?: { name: string; default?: string }[];
  cssParts?: { name: string }[];
}
const manifest = JSON.parse(readFileSync(join(repoRoot, 'custom-elements.json'), 'utf8')) as {
  modules: { declarations?: Declaration[] }[];
};
const elements = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName);
const SHARED = [
  '--ct-accent-color',
  '--ct-active-background',
  '--ct-active-color',
  '--ct-border-color',
  '--ct-control-background',
  '--ct-danger-color',
  '--ct-font-family',
  '--ct-font-size',
  '--ct-muted-color',
  '--ct-on-accent-color',
  '--ct-panel-background',
  '--ct-panel-text-color',
  '--ct-radius',
  '--ct-selected-background',
];
const themesDir = join(repoRoot, 'packages/ct-viewer/themes');
const themes = readdirSync(themesDir).filter((f) => f.endsWith('.css'));

describe('theme tokens in custom-elements.json', () => {
  it('documents the shared tokens on all three elements, with one default each', () => {
    assert.deepEqual(elements.map((e) => e.tagName).sort(), ['ct-viewer', 'measurement-tools', 'opinion-report']);
    const defaults = new Map<string, string | undefined>();
    for (const element of elements) {
      const props = new Map((element.cssProperties ?? []).map((p) => [p.name, p.default]));
      for (const name of SHARED) {
        assert.ok(props.has(name), `${element.tagName} documents ${name}`);
        if (!defaults.has(name)) defaults.set(name, props.get(name));
        assert.equal(props.get(name), defaults.get(name), `${element.tagName} ${name} default`);
      }
    }
  });

  it('ships the light and acme themes, which set only documented tokens and style only documented parts', () => {
    assert.deepEqual(themes.sort(), ['acme.css', 'light.css']);
    const tokens = new Set(elements.flatMap((e) => (e.cssProperties ?? []).map((p) => p.name)));
    const parts = new Set(elements.flatMap((e) => (e.cssParts ?? []).map((p) => p.name)));
    for (const file of themes) {
      const css = readFileSync(join(themesDir, file), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
      const set = [...css.matchAll(/(--ct-[\w-]+)\s*:/g)].map((m) => m[1]!);
      assert.ok(set.length >= 8, `${file} sets tokens`);
      for (const name of set) assert.ok(tokens.has(name), `${file}: ${name} is documented`);
      for (const match of css.matchAll(/::part\(([^)]+)\)/g)) {
        for (const part of match[1]!.trim().split(/\s+/))
          assert.ok(parts.has(part), `${file}: part ${part} is documented`);
      }
    }
  });
});

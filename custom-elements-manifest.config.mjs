// Custom Elements Manifest for the published components: `pnpm build` runs `cem analyze --litelement`,
// which writes custom-elements.json at the root. Storybook reads it for controls and docs.

/**
 * Our events are classes (`class SeriesLoadEvent extends Event { constructor() { super('ct-series-load', …) } }`).
 * The analyzer sees `dispatchEvent(new SeriesLoadEvent(…))` but not the name inside the class, and
 * records a nameless event. This plugin learns each event class's name from its `super('…')` call,
 * drops the nameless entries and gives the documented (`@fires`) events their class as type.
 */
function eventClassesPlugin() {
  /** @type {Map<string, string>} event name → class name */
  const classOfEvent = new Map();
  return {
    name: 'secondread-event-classes',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const extendsEvent = node.heritageClauses?.some((clause) =>
        clause.types.some((type) => type.expression.getText() === 'Event'),
      );
      if (!extendsEvent) return;
      const visit = (child) => {
        if (
          ts.isCallExpression(child) &&
          child.expression.kind === ts.SyntaxKind.SuperKeyword &&
          child.arguments[0] &&
          ts.isStringLiteral(child.arguments[0])
        ) {
          classOfEvent.set(child.arguments[0].text, node.name.getText());
        }
        ts.forEachChild(child, visit);
      };
      ts.forEachChild(node, visit);
    },
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules ?? []) {
        for (const declaration of mod.declarations ?? []) {
          if (!declaration.events) continue;
          // `dispatchEvent(new MeasurementAddEvent(detail))` is also read as an event named after
          // the argument (`detail`, `stored`): keep only names that an event class really dispatches.
          const seen = new Set();
          declaration.events = declaration.events.filter((event) => {
            if (!event.name || !classOfEvent.has(event.name) || seen.has(event.name)) return false;
            seen.add(event.name);
            return true;
          });
          for (const event of declaration.events) {
            const className = classOfEvent.get(event.name);
            if (className && !event.type) event.type = { text: className };
          }
        }
      }
    },
  };
}

/**
 * The analyzer lists modules in the order its file walk found them, which differs between runs
 * and machines: sort them by path (code-unit order, not locale order) so that the same sources
 * always give a byte-identical custom-elements.json.
 */
function stableOrderPlugin() {
  const byPath = (a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
  return {
    name: 'secondread-stable-order',
    packageLinkPhase({ customElementsManifest }) {
      customElementsManifest.modules?.sort(byPath);
    },
  };
}

export default {
  globs: ['packages/*/src/**/*.ts'],
  exclude: ['packages/phantom/**', '**/*.test.ts', '**/test/**', '**/*.d.ts'],
  outdir: '.',
  litelement: true,
  plugins: [eventClassesPlugin(), stableOrderPlugin()],
};

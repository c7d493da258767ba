/** The analyzer's programmatic entry point (it ships no types for it). */
declare module '@custom-elements-manifest/analyzer/cli.js' {
  /** Runs the CLI with `argv`; returns the manifest (written to disk unless `noWrite`). */
  export function cli(options?: { argv?: string[]; cwd?: string; noWrite?: boolean }): Promise<unknown>;
}

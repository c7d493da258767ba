/** Command-line options of `pnpm bench`, and the constants of a run. */
import { join } from 'node:path';
import { repoRoot, cacheDir } from '../../test/support/paths.ts';

export interface Options {
  scenario: 'load' | 'measurements';
  /** `--scenario measurements`: measurements on the slice. */
  count: number;
  rounds: number;
  warmup: number;
  data: 'auto' | 'lidc' | 'phantom';
  /** One extra, uncounted load per page recorded as a Chrome trace in bench-results/. */
  trace: boolean;
  /** Build without minification (readable function names in traces; not for quoted figures). */
  minify: boolean;
}

export const USAGE =
  'usage: pnpm bench [--scenario load|measurements] [--rounds N (default 7)] [--warmup N (default 1)] [--data lidc|phantom] [--count N (measurements, default 200)] [--trace] [--no-minify]';

export function parseOptions(argv: readonly string[]): Options {
  const options: Options = {
    scenario: 'load',
    count: 200,
    rounds: 7,
    warmup: 1,
    data: 'auto',
    trace: false,
    minify: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [name, inline] = arg.split('=', 2) as [string, string | undefined];
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined) throw new Error(`${name} needs a value\n${USAGE}`);
      return next;
    };
    const count = (min: number): number => {
      const n = Number(value());
      if (!Number.isInteger(n) || n < min) throw new Error(`${name} needs an integer ≥ ${min}\n${USAGE}`);
      return n;
    };
    if (name === '--') continue;
    else if (name === '--rounds') options.rounds = count(1);
    else if (name === '--warmup') options.warmup = count(0);
    else if (name === '--trace') options.trace = true;
    else if (name === '--no-minify') options.minify = false;
    else if (name === '--count') options.count = count(1);
    else if (name === '--scenario') {
      const scenario = value();
      if (scenario !== 'load' && scenario !== 'measurements') {
        throw new Error(`--scenario is load or measurements\n${USAGE}`);
      }
      options.scenario = scenario;
    } else if (name === '--data') {
      const data = value();
      if (data !== 'lidc' && data !== 'phantom') throw new Error(`--data is lidc or phantom\n${USAGE}`);
      options.data = data;
    } else if (name === '--help' || name === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else throw new Error(`unknown option ${arg}\n${USAGE}`);
  }
  return options;
}

export const TARGETS = { firstImageRatio: 0.6, fullSeriesRatio: 0.5 } as const;
export const LOAD_TIMEOUT_MS = 60_000;
export const DIST_DIR = join(cacheDir, 'bench-dist');
export const RESULTS_DIR = join(repoRoot, 'bench-results');
export const MIN_NON_BLACK = 0.2;
/** What `--trace` records: main-thread tasks, script evaluation, network, user timing, V8 samples. */
export const TRACE_CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'blink.user_timing',
  'loading',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
  'toplevel',
];

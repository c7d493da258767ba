/**
 * What the API-misuse tests watch while they set wrong values: every page error and unhandled
 * rejection (a wrong value must never end in one), and every console warning (one per bad value).
 */
export interface MisuseWatch {
  /** Messages of `error` events and unhandled rejections since the watch began. */
  readonly pageErrors: string[];
  /** console.warn calls since the last {@link MisuseWatch.takeWarnings}. */
  takeWarnings(): string[];
  stop(): void;
}

export function watchMisuse(): MisuseWatch {
  const pageErrors: string[] = [];
  let warnings: string[] = [];
  const onError = (event: ErrorEvent): void => void pageErrors.push(`error: ${event.message}`);
  const onRejection = (event: PromiseRejectionEvent): void =>
    void pageErrors.push(`unhandled rejection: ${String((event.reason as Error)?.message ?? event.reason)}`);
  window.addEventListener('error', onError);
  window.addEventListener('unhandledrejection', onRejection);
  const originalWarn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.map(String).join(' '));
  return {
    pageErrors,
    takeWarnings: () => {
      const taken = warnings;
      warnings = [];
      return taken;
    },
    stop: () => {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onRejection);
      console.warn = originalWarn;
    },
  };
}

/** Two animation frames: what a value changed is drawn by then. */
export function nextFrames(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve())));
}

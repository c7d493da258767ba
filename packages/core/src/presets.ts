/** Names of the CT window presets, plus `default` (the series' own window). */
export const WINDOW_PRESETS = ['default', 'lung', 'mediastinum', 'bone', 'brain', 'abdomen', 'liver'] as const;
export type WindowPresetName = (typeof WINDOW_PRESETS)[number];

/** A window: centre (level) and width, both in Hounsfield units. */
export interface Voi {
  readonly center: number;
  readonly width: number;
}

/**
 * Window centre/width in HU for each named preset. Values follow common radiology
 * practice (e.g. lung W1500/L-600, bone W1800/L400, brain W80/L40).
 */
export const WINDOW_PRESET_VALUES: Readonly<Record<Exclude<WindowPresetName, 'default'>, Voi>> = {
  lung: { center: -600, width: 1500 },
  mediastinum: { center: 50, width: 350 },
  bone: { center: 400, width: 1800 },
  brain: { center: 40, width: 80 },
  abdomen: { center: 40, width: 400 },
  liver: { center: 60, width: 160 },
};

/** Human-readable labels for the presets (toolbar, overlays). */
export const WINDOW_PRESET_LABELS: Readonly<Record<WindowPresetName, string>> = {
  default: 'Series default',
  lung: 'Lung',
  mediastinum: 'Mediastinum',
  bone: 'Bone',
  brain: 'Brain',
  abdomen: 'Abdomen',
  liver: 'Liver',
};

export function isWindowPresetName(value: unknown): value is WindowPresetName {
  return typeof value === 'string' && (WINDOW_PRESETS as readonly string[]).includes(value);
}

/** The window for a preset; `default` uses the series' own window or, lacking one, the mediastinum. */
export function voiForPreset(name: WindowPresetName, seriesDefault?: Voi | null): Voi {
  if (name === 'default') return seriesDefault ?? WINDOW_PRESET_VALUES.mediastinum;
  return WINDOW_PRESET_VALUES[name];
}

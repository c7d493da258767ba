/**
 * The themes the stories switch between (Storybook's Theme toolbar menu, the theme stories):
 * `default` (no theme file) and the style sheets shipped in `@secondread/ct-viewer/themes/`.
 */
export const STORY_THEMES = ['default', 'light', 'acme'] as const;
export type StoryTheme = (typeof STORY_THEMES)[number];

/** The page colour a portal of each theme has behind the elements. */
export const PAGE_BACKGROUNDS: Readonly<Record<StoryTheme, string>> = {
  default: '#0b0f14',
  light: '#f4f6f8',
  acme: '#0d1526',
};

import { html } from 'lit';
import type { Decorator, Preview } from '@storybook/web-components-vite';
import { setCustomElementsManifest } from '@storybook/web-components-vite';
// The manifest `cem analyze --litelement` writes from the elements' JSDoc (`pnpm build`): the
// docs pages' tables and every story's controls come from it, not from hand-written argTypes.
import customElements from '../custom-elements.json';
// The themes a portal links (the package's own files): the toolbar's Theme menu switches them.
import '@secondread/ct-viewer/themes/light.css';
import '@secondread/ct-viewer/themes/acme.css';
import { installFakeServer } from '../stories/fake-server.ts';
import { PAGE_BACKGROUNDS, STORY_THEMES, type StoryTheme } from '../stories/themes.ts';

setCustomElementsManifest(customElements);
// Answers the error and loading stories' requests in the page itself: they work in a static build too.
installFakeServer();

/** Wraps every story in the chosen theme: `data-ct-theme` on a wrapper, with that theme's page colour. */
const withTheme: Decorator = (story, context) => {
  const theme = (context.globals['theme'] as StoryTheme | undefined) ?? 'default';
  return html`<div data-ct-theme=${theme} style="background:${PAGE_BACKGROUNDS[theme]};min-height:100%">
    ${story()}
  </div>`;
};

const preview: Preview = {
  // A docs page (attributes, properties, events, slots, CSS parts and custom properties) per element.
  tags: ['autodocs'],
  decorators: [withTheme],
  globalTypes: {
    theme: {
      description: 'SecondRead theme (@secondread/ct-viewer/themes/*.css)',
      toolbar: {
        title: 'Theme',
        icon: 'paintbrush',
        items: STORY_THEMES.map((value) => ({ value, title: value })),
        dynamicTitle: true,
      },
    },
  },
  initialGlobals: { theme: 'default' },
  parameters: {
    // Viewers fill the canvas; stories add their own margins where they show text.
    layout: 'fullscreen',
    controls: {
      expanded: true,
      matchers: { color: /(background|color)$/i },
    },
  },
};

export default preview;

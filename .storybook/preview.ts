import type { Preview } from '@storybook/web-components-vite';

const preview: Preview = {
  parameters: {
    // Viewers fill the canvas; stories add their own margins where they show text.
    layout: 'fullscreen',
    backgrounds: {
      options: {
        dark: { name: 'Reading room', value: '#0b0f14' },
        light: { name: 'Portal (light)', value: '#f4f6f8' },
      },
    },
    controls: {
      expanded: true,
      matchers: { color: /(background|color)$/i },
    },
  },
  initialGlobals: {
    backgrounds: { value: 'dark' },
  },
};

export default preview;

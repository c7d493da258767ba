import { createApp } from 'vue';
// Registers <ct-viewer> and <measurement-tools>.
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';
import App from './App.vue';

createApp(App).mount('#app');

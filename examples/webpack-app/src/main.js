// Registers <ct-viewer> and <measurement-tools>.
import '@secondread/ct-viewer/define.js';
import '@secondread/measurement-tools/define.js';

const viewer = document.querySelector('ct-viewer');
viewer.addEventListener('ct-error', (event) => console.warn(event.detail.code, event.detail.message));

// Part 10 files from the app's own server, listed in /study/index.json. With a PACS instead:
// <ct-viewer dicomweb-root="/dicom-web" study-uid="1.2.840…"> and no code.
const names = await (await fetch('/study/index.json')).json();
viewer.urls = names.map((name) => `/study/${name}`);

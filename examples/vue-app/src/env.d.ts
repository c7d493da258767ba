// Template types of <ct-viewer> and <measurement-tools> (properties, typed events) for vue-tsc and Volar.
/// <reference types="@secondread/ct-viewer/vue" />
/// <reference types="@secondread/measurement-tools/vue" />

/// <reference types="vite/client" />
// JSX typings of the plain tags, for PlainTags.tsx (the wrappers of @secondread/react need none).
/// <reference types="@secondread/ct-viewer/jsx" />
/// <reference types="@secondread/measurement-tools/jsx" />

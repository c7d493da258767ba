// webpack 5 (also the bundler under Next.js): the only addition SecondRead needs is the fallback.
// Cornerstone's WASM codecs ship Emscripten glue that reads fs and path only under Node, and
// @oozcitak/url (through vtk.js' xmlbuilder2) calls url only for international domain names;
// webpack 5 no longer stubs Node built-ins, so say that the browser build has none.
export default {
  mode: 'production',
  entry: './src/main.js',
  output: { clean: true },
  resolve: { fallback: { fs: false, path: false, url: false } },
};

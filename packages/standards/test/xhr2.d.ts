/** xhr2 ships no types: it exports an XMLHttpRequest implementation for Node. */
declare module 'xhr2' {
  const XMLHttpRequest: typeof globalThis.XMLHttpRequest;
  export default XMLHttpRequest;
}

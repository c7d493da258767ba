import dicomParser from 'dicom-parser';
import { readFileSync } from 'node:fs';
const JpegImage = (await import('./node_modules/@cornerstonejs/dicom-image-loader/dist/esm/codecs/jpeg.js')).default;
const b = new Uint8Array(readFileSync('.cache/fixtures/transcoded/jpeg-extended.dcm'));
const ds = dicomParser.parseDicom(b);
const frag = dicomParser.readEncapsulatedPixelDataFromFragments(ds, ds.elements.x7fe00010, 0, ds.elements.x7fe00010.fragments.length);
const jpeg = new JpegImage(); jpeg.parse(frag); jpeg.colorTransform = false;
const out = jpeg.getData16(512, 512);
const g = new Uint8Array(readFileSync('/tmp/ext-gdcm.dcm')); const gds = dicomParser.parseDicom(g); const el = gds.elements.x7fe00010;
const ref = new Uint16Array(g.buffer.slice(el.dataOffset, el.dataOffset + el.length));
const hist = new Map(); const histc = new Map();
for (let i = 0; i < ref.length; i++) { const d = out[i] - ref[i]; hist.set(d, (hist.get(d) ?? 0) + 1);
  const c = Math.max(0, out[i] - 15) - ref[i]; histc.set(c, (histc.get(c) ?? 0) + 1); }
console.log('raw diff', [...hist].sort((a,b)=>a[0]-b[0]));
console.log('corrected diff', [...histc].sort((a,b)=>a[0]-b[0]));
let mx=0; for (const v of ref) mx=Math.max(mx,v); console.log('max ref', mx, 'min', Math.min(...ref));

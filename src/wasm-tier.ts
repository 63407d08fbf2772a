import { setFlagsFromString } from 'node:v8';

/**
 * WebAssembly in imprint (HarfBuzz shaping the text it measures and subsetting the EPUB's fonts, the WOFF2
 * decoder) runs with V8's baseline compiler only. With the optimizing tier on, a build's main thread was measured
 * blocked for 0.35–0.45 s while V8 compiled that code again in the background: more than the optimized code ever
 * gave back in a build (decision 086). Set when the API loads, before any module is compiled; it applies to the
 * whole process.
 */
setFlagsFromString('--liftoff-only');

// Loads OpenCV compiled to WebAssembly once per thread.
// Trap (environment.md): the module object has a `then` method, so `await`ing it spins forever; we wait for
// onRuntimeInitialized and delete `then` before handing the module out.
import { createRequire } from 'node:module';

// The typings of @techstark/opencv-js are large and partly wrong; the few calls we make are typed here.
export interface CvMat {
  rows: number;
  cols: number;
  data: Uint8Array;
  data32F: Float32Array;
  data64F: Float64Array;
  type(): number;
  delete(): void;
  isDeleted(): boolean;
}
/* eslint-disable @typescript-eslint/no-explicit-any */
export type OpenCv = any;

let loading: Promise<OpenCv> | undefined;

export function loadOpenCv(): Promise<OpenCv> {
  loading ??= new Promise<OpenCv>((resolve, reject) => {
    const require = createRequire(import.meta.url);
    const cv = require('@techstark/opencv-js') as OpenCv;
    const ready = () => {
      delete cv.then;
      resolve(cv);
    };
    if (cv.Mat) ready();
    else {
      const timer = setTimeout(() => reject(new Error('OpenCV-WASM did not initialise within 30 s')), 30_000);
      cv.onRuntimeInitialized = () => {
        clearTimeout(timer);
        ready();
      };
    }
  });
  return loading;
}

/** Runs fn with a list that collects every Mat it creates, and deletes them all afterwards, even on error. */
export function withMats<T>(fn: (track: <M extends CvMat>(mat: M) => M) => T): T {
  const mats: CvMat[] = [];
  try {
    return fn((mat) => {
      mats.push(mat);
      return mat;
    });
  } finally {
    for (const mat of mats) if (!mat.isDeleted()) mat.delete();
  }
}

/** Bytes currently allocated on the WASM heap (for leak tests); undefined if the build does not expose it. */
export function wasmHeapSize(cv: OpenCv): number | undefined {
  return cv.HEAP8?.length;
}

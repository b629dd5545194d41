// One WebGL context for every view of the field, kept while the page lives: opening a comparison again (or the
// acquisition viewer after it) reuses the compiled programs and the textures already on the GPU instead of
// creating a context, compiling and uploading each time. A lost context is replaced on the next view. The cached
// textures go when the session ends.
import { forgetWithSession } from '../../api/sessionMemory.ts';
import { FieldRenderer } from './renderer.ts';

let shared: { canvas: HTMLCanvasElement; renderer: FieldRenderer } | null = null;

/** The shared canvas and its renderer; throws FieldRendererError when the browser offers no WebGL2. */
export function sharedField(): { canvas: HTMLCanvasElement; renderer: FieldRenderer } {
  if (shared && !shared.renderer.gl.isContextLost()) return shared;
  const canvas = document.createElement('canvas');
  canvas.style.width = '100%';
  canvas.style.height = '100%';
  canvas.style.display = 'block';
  shared = { canvas, renderer: new FieldRenderer(canvas) };
  return shared;
}

forgetWithSession(() => shared?.renderer.forgetTextures());

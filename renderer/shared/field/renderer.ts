// Draws the comparison field with WebGL2: both sides as textures (mipmapped, so any zoom reads smoothly), every
// look (light, exaggeration, false colour, contrast) and every mode applied by the shader. A frame costs one
// full-screen pass per panel and no CPU work per pixel, which is what keeps pan, zoom and relight of two 2048²
// surfaces fluid even where WebGL runs in software (SwiftShader).
//
// Frames are counted twice: `submitted` when the draw calls are issued, `completed` when a fence placed after
// them has signalled, i.e. the GPU has really drawn that frame. Speed figures use the completed count.
import { colourTable } from '../heightColour.ts';
import { applyLinear, compose, decompose, invert, rotationAbout, type Affine } from './geometry.ts';
import { panelsOf, screenFromOwn, sideScale, type FieldState, type SideIndex } from './fieldState.ts';
import {
  fragmentShaderFor,
  uniformNames,
  variantKey,
  vertexShader,
  type LayerKind,
  type ShaderVariant,
} from './shaders.ts';
import type { SurfaceTexels } from './surfaceTexture.ts';

export type FieldLayer =
  | { kind: 'surface'; texels: SurfaceTexels; spacingUm: number }
  | { kind: 'image'; width: number; height: number; grey: Uint8Array; spacingUm: number };

export interface Look {
  azimuthDeg: number;
  elevationDeg: number;
  exaggeration: number;
  falseColour: boolean;
  contrast: boolean;
}

export class FieldRendererError extends Error {
  readonly reason: 'no_webgl2' | 'shader' | 'too_large';
  constructor(reason: 'no_webgl2' | 'shader' | 'too_large', message: string) {
    super(message);
    this.reason = reason;
  }
}

interface SideTexture {
  texture: WebGLTexture;
  kind: LayerKind;
  width: number;
  height: number;
  spacingUm: number;
  slopeScale: number;
}

type UniformName = (typeof uniformNames)[number];

interface Program {
  program: WebGLProgram;
  uniforms: Record<UniformName, WebGLUniformLocation | null>;
}

/** GPU memory the cached textures may take by default (a 2048² topography with its mipmaps is about 22 MB). */
const defaultTextureCacheBytes = 192 * 1024 * 1024;

/** Unit vector towards the light in screen axes (x right, y down, z to the viewer); azimuth 0° = from the top. */
export function lightVector(azimuthDeg: number, elevationDeg: number): [number, number, number] {
  const az = (azimuthDeg * Math.PI) / 180;
  const el = (elevationDeg * Math.PI) / 180;
  return [Math.sin(az) * Math.cos(el), -Math.cos(az) * Math.cos(el), Math.sin(el)];
}

/** Column-major mat3 of an affine map, for uniformMatrix3fv. */
function mat3(m: Affine): Float32Array {
  return new Float32Array([m.a, m.b, 0, m.c, m.d, 0, m.e, m.f, 1]);
}

export class FieldRenderer {
  readonly gl: WebGL2RenderingContext;
  private readonly vertex: WebGLShader;
  private readonly programs = new Map<string, Program>();
  private readonly vao: WebGLVertexArrayObject;
  private readonly palette: WebGLTexture;
  private readonly sides: [SideTexture | null, SideTexture | null] = [null, null];
  private readonly textures = new Map<FieldLayer, SideTexture & { bytes: number }>();
  private readonly fences: WebGLSync[] = [];
  private readonly textureCacheBytes: number;
  /** Frames whose draw calls were issued. */
  submitted = 0;
  /** Frames the GPU has finished drawing (their fence signalled). */
  completed = 0;

  /** `textureCacheBytes`: GPU memory kept for pictures no longer shown (0: none, each picture is uploaded anew). */
  constructor(canvas: HTMLCanvasElement | OffscreenCanvas, textureCacheBytes = defaultTextureCacheBytes) {
    this.textureCacheBytes = textureCacheBytes;
    const gl = canvas.getContext('webgl2', {
      antialias: false,
      alpha: false,
      depth: false,
      stencil: false,
      preserveDrawingBuffer: false,
      powerPreference: 'high-performance',
    }) as WebGL2RenderingContext | null;
    if (!gl) throw new FieldRendererError('no_webgl2', 'this browser offers no WebGL2 context');
    this.gl = gl;
    this.vertex = this.compile(gl.VERTEX_SHADER, vertexShader);
    // The common program is compiled now, so a driver that cannot compile shaders fails here, not mid-draw.
    this.programFor({ draw: 'a', kindA: 'surface', kindB: null, contrast: false, falseColour: false });
    this.vao = gl.createVertexArray()!;
    this.palette = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, this.palette);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGB8, 256, 1, 0, gl.RGB, gl.UNSIGNED_BYTE, colourTable);
    this.clampLinear(false);
  }

  private compile(type: number, source: string): WebGLShader {
    const gl = this.gl;
    const shader = gl.createShader(type)!;
    gl.shaderSource(shader, source);
    gl.compileShader(shader);
    if (!gl.getShaderParameter(shader, gl.COMPILE_STATUS))
      throw new FieldRendererError('shader', gl.getShaderInfoLog(shader) ?? 'the shader did not compile');
    return shader;
  }

  /** The program of one variant, compiled and linked on first use. */
  private programFor(variant: ShaderVariant): Program {
    const key = variantKey(variant);
    const known = this.programs.get(key);
    if (known) return known;
    const gl = this.gl;
    const fragment = this.compile(gl.FRAGMENT_SHADER, fragmentShaderFor(variant));
    const program = gl.createProgram()!;
    gl.attachShader(program, this.vertex);
    gl.attachShader(program, fragment);
    gl.linkProgram(program);
    gl.deleteShader(fragment);
    if (!gl.getProgramParameter(program, gl.LINK_STATUS))
      throw new FieldRendererError('shader', gl.getProgramInfoLog(program) ?? 'the shader did not link');
    const uniforms = Object.fromEntries(
      uniformNames.map((name) => [name, gl.getUniformLocation(program, name)]),
    ) as Record<UniformName, WebGLUniformLocation | null>;
    const entry = { program, uniforms };
    this.programs.set(key, entry);
    return entry;
  }

  private clampLinear(mipmaps: boolean) {
    const gl = this.gl;
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, mipmaps ? gl.LINEAR_MIPMAP_NEAREST : gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
  }

  /**
   * Puts one side's picture on the GPU (or removes it with null). Textures stay cached by their layer, up to a
   * byte budget, so a pair opened again draws without uploading anything.
   */
  setLayer(side: SideIndex, layer: FieldLayer | null): void {
    this.sides[side] = null;
    if (!layer) return this.evict();
    let cached = this.textures.get(layer);
    if (cached)
      this.textures.delete(layer); // re-inserted below: most recently used last
    else cached = this.upload(layer);
    this.textures.set(layer, cached);
    this.sides[side] = cached;
    this.evict();
  }

  private upload(layer: FieldLayer): SideTexture & { bytes: number } {
    const gl = this.gl;
    const width = layer.kind === 'surface' ? layer.texels.width : layer.width;
    const height = layer.kind === 'surface' ? layer.texels.height : layer.height;
    const max = gl.getParameter(gl.MAX_TEXTURE_SIZE) as number;
    if (width > max || height > max)
      throw new FieldRendererError('too_large', `${width} × ${height} exceeds this GPU's ${max} pixel textures`);
    const texture = gl.createTexture()!;
    gl.bindTexture(gl.TEXTURE_2D, texture);
    gl.pixelStorei(gl.UNPACK_ALIGNMENT, 1);
    const levels = Math.floor(Math.log2(Math.max(width, height))) + 1;
    if (layer.kind === 'surface') {
      gl.texStorage2D(gl.TEXTURE_2D, levels, gl.RGBA8, width, height);
      gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, layer.texels.rgba);
    } else {
      gl.texStorage2D(gl.TEXTURE_2D, levels, gl.R8, width, height);
      gl.texSubImage2D(gl.TEXTURE_2D, 0, 0, 0, width, height, gl.RED, gl.UNSIGNED_BYTE, layer.grey);
    }
    gl.generateMipmap(gl.TEXTURE_2D);
    this.clampLinear(true);
    return {
      texture,
      kind: layer.kind,
      width,
      height,
      spacingUm: layer.spacingUm,
      slopeScale: layer.kind === 'surface' ? layer.texels.slopeScale : 1,
      // Mipmaps add a third.
      bytes: Math.round(width * height * (layer.kind === 'surface' ? 4 : 1) * 1.34),
    };
  }

  /** Deletes the least recently used textures not on screen while the cache is over its budget. */
  private evict(): void {
    let total = [...this.textures.values()].reduce((n, t) => n + t.bytes, 0);
    for (const [layer, t] of this.textures) {
      if (total <= this.textureCacheBytes) break;
      if (this.sides.includes(t)) continue;
      this.gl.deleteTexture(t.texture);
      this.textures.delete(layer);
      total -= t.bytes;
    }
  }

  /** Deletes every cached texture not on screen (the session ended: the next person starts with none). */
  forgetTextures(): void {
    for (const [layer, t] of this.textures) {
      if (this.sides.includes(t)) continue;
      this.gl.deleteTexture(t.texture);
      this.textures.delete(layer);
    }
  }

  /** Starts counting frames afresh (a view that takes over the renderer measures its own frames). */
  resetCounters(): void {
    for (const fence of this.fences) this.gl.deleteSync(fence);
    this.fences.length = 0;
    this.submitted = 0;
    this.completed = 0;
  }

  /**
   * Draws the field into the canvas (or into the bound framebuffer when `target` is given). Sizes are CSS pixels;
   * `scale` is device pixels per CSS pixel.
   */
  draw(state: FieldState, look: Look, cssWidth: number, cssHeight: number, scale: number): void {
    const gl = this.gl;
    const width = Math.round(cssWidth * scale);
    const height = Math.round(cssHeight * scale);
    gl.viewport(0, 0, width, height);
    gl.disable(gl.SCISSOR_TEST);
    gl.clearColor(0.07, 0.07, 0.08, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    gl.bindVertexArray(this.vao);
    gl.activeTexture(gl.TEXTURE2);
    gl.bindTexture(gl.TEXTURE_2D, this.palette);
    for (const side of [0, 1] as const) {
      gl.activeTexture(side === 0 ? gl.TEXTURE0 : gl.TEXTURE1);
      gl.bindTexture(gl.TEXTURE_2D, this.sides[side]?.texture ?? null);
    }
    const light = lightVector(look.azimuthDeg, look.elevationDeg);
    // gl_FragCoord (device pixels, y up) → CSS pixels (y down).
    const cssFromFrag: Affine = { a: 1 / scale, b: 0, c: 0, d: -1 / scale, e: 0, f: height / scale };

    gl.enable(gl.SCISSOR_TEST);
    for (const panel of panelsOf(state.mode, cssWidth, cssHeight)) {
      const px = Math.round(panel.x * scale);
      const pw = Math.round(panel.width * scale);
      const py = height - Math.round((panel.y + panel.height) * scale);
      const ph = Math.round(panel.height * scale);
      // Passes: [what to draw, scissor x from, scissor x to] in device pixels.
      const splitX = Math.round((panel.x + panel.width * state.split) * scale);
      const passes: Array<[ShaderVariant['draw'], number, number]> =
        state.mode === 'side' || state.mode === 'single'
          ? [[panel.sides[0] === 0 ? 'a' : 'b', px, px + pw]]
          : state.mode === 'split'
            ? [
                ['a', px, splitX],
                ['b', splitX, px + pw],
              ]
            : [[state.mode, px, px + pw]];
      for (const [draw, from, to] of passes) {
        if (to <= from) continue;
        const uses = (side: 0 | 1) => panel.sides.includes(side) && (side === 0 ? draw !== 'b' : draw !== 'a');
        const kind = (side: 0 | 1) => (uses(side) ? (this.sides[side]?.kind ?? null) : null);
        const { program, uniforms: u } = this.programFor({
          draw,
          kindA: kind(0),
          kindB: kind(1),
          contrast: look.contrast,
          falseColour: look.falseColour,
        });
        gl.useProgram(program);
        gl.uniform1i(u.uTexA, 0);
        gl.uniform1i(u.uTexB, 1);
        gl.uniform1i(u.uPalette, 2);
        gl.uniform1f(u.uExaggeration, look.exaggeration);
        gl.uniform1f(u.uBlend, state.blend);
        gl.uniform1f(u.uChecker, Math.max(2, state.checkerPx * scale));
        for (const side of [0, 1] as const) {
          const t = this.sides[side];
          if (!t || !uses(side)) continue;
          const suffix = side === 0 ? 'A' : 'B';
          const screen = screenFromOwn(state, panel, side);
          const texFromOwn: Affine = {
            a: 1 / (t.width * t.spacingUm),
            b: 0,
            c: 0,
            d: 1 / (t.height * t.spacingUm),
            e: 0,
            f: 0,
          };
          gl.uniformMatrix3fv(
            u[`uFromScreen${suffix}`],
            false,
            mat3(compose(texFromOwn, compose(invert(screen), cssFromFrag))),
          );
          // Texels per device pixel decides the level of detail.
          const texelsPerPixel = 1 / (t.spacingUm * sideScale(state, side) * scale);
          gl.uniform1f(u[`uLod${suffix}`], Math.max(0, Math.log2(texelsPerPixel)));
          gl.uniform1f(u[`uSlope${suffix}`], t.slopeScale);
          // The light is fixed to the screen; each side sees it turned back by that side's own rotation.
          const turn = decompose(screen).rotationDeg;
          const [lx, ly] = applyLinear(rotationAbout(-turn, [0, 0]), [light[0], light[1]]);
          gl.uniform3f(u[`uLight${suffix}`], lx, ly, light[2]);
        }
        // The triangle covers the viewport, so the viewport is the pass's own strip: pixels outside it are never
        // shaded (SwiftShader shades a scissored-away triangle before discarding it). The shaders map
        // gl_FragCoord, which the viewport does not change.
        gl.viewport(from, py, to - from, ph);
        gl.scissor(from, py, to - from, ph);
        gl.drawArrays(gl.TRIANGLES, 0, 3);
      }
    }
    gl.disable(gl.SCISSOR_TEST);
    this.submitted++;
    this.collectFences();
    const fence = gl.fenceSync(gl.SYNC_GPU_COMMANDS_COMPLETE, 0);
    if (fence) this.fences.push(fence);
    gl.flush();
  }

  /** Counts the frames whose fences have signalled since the last look (never blocks). */
  collectFences(): number {
    const gl = this.gl;
    while (this.fences.length > 0) {
      const status = gl.getSyncParameter(this.fences[0]!, gl.SYNC_STATUS);
      if (status !== gl.SIGNALED) break;
      gl.deleteSync(this.fences.shift()!);
      this.completed++;
    }
    // A context that never signals (lost) must not grow the queue without bound.
    while (this.fences.length > 8) gl.deleteSync(this.fences.shift()!);
    return this.completed;
  }

  /**
   * The field drawn at `scale` times its CSS size into an off-screen buffer: RGBA rows from the top, for a
   * snapshot at a higher resolution than the screen.
   */
  renderPixels(
    state: FieldState,
    look: Look,
    cssWidth: number,
    cssHeight: number,
    scale: number,
  ): { width: number; height: number; pixels: Uint8Array } {
    const gl = this.gl;
    const width = Math.round(cssWidth * scale);
    const height = Math.round(cssHeight * scale);
    const max = gl.getParameter(gl.MAX_RENDERBUFFER_SIZE) as number;
    if (width > max || height > max)
      throw new FieldRendererError('too_large', `a ${width} × ${height} snapshot exceeds this GPU's ${max} pixels`);
    const framebuffer = gl.createFramebuffer()!;
    const colour = gl.createRenderbuffer()!;
    try {
      gl.bindRenderbuffer(gl.RENDERBUFFER, colour);
      gl.renderbufferStorage(gl.RENDERBUFFER, gl.RGBA8, width, height);
      gl.bindFramebuffer(gl.FRAMEBUFFER, framebuffer);
      gl.framebufferRenderbuffer(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.RENDERBUFFER, colour);
      this.draw(state, look, cssWidth, cssHeight, scale);
      const flipped = new Uint8Array(width * height * 4);
      gl.readPixels(0, 0, width, height, gl.RGBA, gl.UNSIGNED_BYTE, flipped);
      // GL rows start at the bottom.
      const pixels = new Uint8Array(flipped.length);
      const row = width * 4;
      for (let y = 0; y < height; y++)
        pixels.set(flipped.subarray((height - 1 - y) * row, (height - y) * row), y * row);
      return { width, height, pixels };
    } finally {
      gl.bindFramebuffer(gl.FRAMEBUFFER, null);
      gl.deleteFramebuffer(framebuffer);
      gl.deleteRenderbuffer(colour);
    }
  }

  dispose(): void {
    const gl = this.gl;
    this.resetCounters();
    for (const side of [0, 1] as const) this.setLayer(side, null);
    for (const t of this.textures.values()) gl.deleteTexture(t.texture);
    this.textures.clear();
    gl.deleteTexture(this.palette);
    gl.deleteVertexArray(this.vao);
    for (const { program } of this.programs.values()) gl.deleteProgram(program);
    this.programs.clear();
    gl.deleteShader(this.vertex);
  }
}

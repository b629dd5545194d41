// The field's shader programs. Every screen pixel maps through a 3×3 matrix per side to that side's texture,
// where a topography (slopes, height, validity: surfaceTexture.ts) is lit by the virtual light or a 2D image is
// read as grey; what a pixel shows is one side, a blend, the difference, or the checkerboard square's side.
//
// One program per combination (which sides, how combined, surface or image, contrast, false colour), compiled on
// first use: each is straight-line code. A single program branching on uniforms ran ~4 times slower in SwiftShader,
// which executes every branch of a shader under a mask. The split line needs no branch either: the renderer draws
// A left of it and B right of it with two scissored passes of the one-side program.
// Levels of detail are chosen on the CPU from the zoom (one value per side), so no derivatives are needed.

export const vertexShader = `#version 300 es
// One triangle that covers the viewport.
const vec2 corners[3] = vec2[3](vec2(-1.0, -1.0), vec2(3.0, -1.0), vec2(-1.0, 3.0));
void main() {
  gl_Position = vec4(corners[gl_VertexID], 0.0, 1.0);
}
`;

export type LayerKind = 'surface' | 'image';

export interface ShaderVariant {
  /** What the pass draws: side A alone, side B alone, or both combined. */
  draw: 'a' | 'b' | 'blend' | 'difference' | 'checker';
  kindA: LayerKind | null;
  kindB: LayerKind | null;
  contrast: boolean;
  falseColour: boolean;
}

export function variantKey(v: ShaderVariant): string {
  return `${v.draw}|${v.kindA}|${v.kindB}|${v.contrast ? 'k' : ''}|${v.falseColour ? 'c' : ''}`;
}

/** Missing data: a diagonal hatch in two dark reds, quiet enough not to draw the eye from the marks (legends use it too). */
export const missingDataHatch: [[number, number, number], [number, number, number]] = [
  [60, 22, 34],
  [40, 16, 24],
];
const glsl = ([r, g, b]: [number, number, number]) =>
  `vec3(${(r / 255).toFixed(4)}, ${(g / 255).toFixed(4)}, ${(b / 255).toFixed(4)})`;

/** The uniforms every variant declares (unused ones are simply not found). */
export const uniformNames = [
  'uTexA',
  'uTexB',
  'uPalette',
  'uFromScreenA',
  'uFromScreenB',
  'uLodA',
  'uLodB',
  'uSlopeA',
  'uSlopeB',
  'uLightA',
  'uLightB',
  'uExaggeration',
  'uBlend',
  'uChecker',
] as const;

/** What one side shows at a pixel: rgb, and a = 1 where it shows measured data, 0 where not. */
function lookFunction(side: 'A' | 'B', kind: LayerKind, contrast: boolean, falseColour: boolean): string {
  const fetch = `
  vec2 uv = (uFromScreen${side} * vec3(gl_FragCoord.xy, 1.0)).xy;
  if (uv.x < 0.0 || uv.y < 0.0 || uv.x > 1.0 || uv.y > 1.0) return vec4(BACKGROUND, 0.0);
  vec4 t = textureLod(uTex${side}, uv, uLod${side});`;
  const mean = `vec4 m = textureLod(uTex${side}, uv, uLod${side} + CONTRAST_LEVELS);`;
  if (kind === 'image')
    return `vec4 look${side}() {${fetch}
  float g = t.r;
  ${contrast ? `${mean}\n  g = clamp(0.5 + 2.5 * (g - m.r), 0.0, 1.0);` : ''}
  return vec4(vec3(g), 1.0);
}`;
  return `vec4 look${side}() {${fetch}
  if (t.a < 0.5) return vec4(hatch(), 0.0);
  vec2 g = slopesOf(t, uSlope${side});
  ${contrast ? `${mean}\n  if (m.a > 0.05) g -= slopesOf(m, uSlope${side});` : ''}
  vec3 n = normalize(vec3(-uExaggeration * g, 1.0));
  float s = 0.15 + 0.85 * max(dot(n, uLight${side}), 0.0);
  ${contrast ? 's = clamp(0.5 + 1.6 * (s - 0.5), 0.0, 1.0);' : ''}
  return vec4(${falseColour ? 'texture(uPalette, vec2(t.b / t.a, 0.5)).rgb * s' : 'vec3(s)'}, 1.0);
}`;
}

function combine(draw: ShaderVariant['draw']): string {
  switch (draw) {
    case 'a':
      return 'colour = vec4(lookA().rgb, 1.0);';
    case 'b':
      return 'colour = vec4(lookB().rgb, 1.0);';
    case 'checker':
      return `float square = mod(floor(gl_FragCoord.x / uChecker) + floor(gl_FragCoord.y / uChecker), 2.0);
  colour = vec4((square < 0.5 ? lookA() : lookB()).rgb, 1.0);`;
    case 'blend':
      return 'colour = vec4(mix(lookA().rgb, lookB().rgb, uBlend), 1.0);';
    case 'difference':
      // Difference where both sides show data; elsewhere the side that does, dimmed, so coverage stays visible.
      return `vec4 a = lookA();
  vec4 b = lookB();
  vec3 shown = a.a > 0.5 && b.a > 0.5 ? min(vec3(1.0), 2.0 * abs(a.rgb - b.rgb)) : 0.4 * (a.a > 0.5 ? a.rgb : b.rgb);
  colour = vec4(shown, 1.0);`;
  }
}

export function fragmentShaderFor(v: ShaderVariant): string {
  const usesA = v.draw !== 'b';
  const usesB = v.draw !== 'a';
  const none = 'vec4(BACKGROUND, 0.0)';
  const lookA =
    usesA && v.kindA ? lookFunction('A', v.kindA, v.contrast, v.falseColour) : `vec4 lookA() { return ${none}; }`;
  const lookB =
    usesB && v.kindB ? lookFunction('B', v.kindB, v.contrast, v.falseColour) : `vec4 lookB() { return ${none}; }`;
  return `#version 300 es
precision highp float;

uniform sampler2D uTexA;
uniform sampler2D uTexB;
uniform sampler2D uPalette;
uniform mat3 uFromScreenA;
uniform mat3 uFromScreenB;
uniform float uLodA;
uniform float uLodB;
uniform float uSlopeA;
uniform float uSlopeB;
uniform vec3 uLightA;
uniform vec3 uLightB;
uniform float uExaggeration;
uniform float uBlend;
uniform float uChecker;

out vec4 colour;

const float HALF_PI = 1.5707963268;
const vec3 BACKGROUND = vec3(0.102, 0.106, 0.118);
const vec3 HATCH_A = ${glsl(missingDataHatch[0])};
const vec3 HATCH_B = ${glsl(missingDataHatch[1])};
// Levels above the drawn one whose average is the "local mean" that enhanced contrast removes.
const float CONTRAST_LEVELS = 4.0;

// tan(e · π/2) for |e| < 1 as e (π/2 − 0.2976 e²) / (1 − e²): exact at 0 and at the pole, within 0.3 % between,
// far below the stored byte's step (0.8 %); SwiftShader's tan (a sine and a cosine) cost more than the rest of it.
vec2 slopesOf(vec4 t, float s0) {
  vec2 e = clamp((t.rg * 255.0 - 128.0) / (127.0 * t.a), -0.995, 0.995);
  vec2 e2 = e * e;
  return s0 * e * (HALF_PI - 0.2976 * e2) / (1.0 - e2);
}

vec3 hatch() {
  return mod(floor((gl_FragCoord.x + gl_FragCoord.y) / 8.0), 2.0) < 0.5 ? HATCH_A : HATCH_B;
}

${lookA}

${lookB}

void main() {
  ${combine(v.draw)}
}
`;
}

// The field's one shader program. Every screen pixel maps through a 3×3 matrix per side to that side's texture,
// where a topography (slopes, height, validity: surfaceTexture.ts) is lit by the virtual light or a 2D image is
// read as grey; the mode then decides what the pixel shows: one side, the side of the split line, a blend, the
// difference, or the checkerboard square's side. Levels of detail are chosen on the CPU from the zoom (one value
// per side), so no screen-space derivatives are needed inside branches.

export const vertexShader = `#version 300 es
// One triangle that covers the viewport.
const vec2 corners[3] = vec2[3](vec2(-1.0, -1.0), vec2(3.0, -1.0), vec2(-1.0, 3.0));
void main() {
  gl_Position = vec4(corners[gl_VertexID], 0.0, 1.0);
}
`;

/** Values of `uMode`. */
export const shaderModes = { sideA: 0, sideB: 1, split: 2, blend: 3, difference: 4, checker: 5 } as const;
/** Values of `uKindA` / `uKindB`. */
export const layerKinds = { none: 0, surface: 1, image: 2 } as const;

/** Missing data: a diagonal hatch in two dark reds, quiet enough not to draw the eye from the marks (legends use it too). */
export const missingDataHatch: [[number, number, number], [number, number, number]] = [
  [60, 22, 34],
  [40, 16, 24],
];
const glsl = ([r, g, b]: [number, number, number]) =>
  `vec3(${(r / 255).toFixed(4)}, ${(g / 255).toFixed(4)}, ${(b / 255).toFixed(4)})`;

export const fragmentShader = `#version 300 es
precision highp float;
precision highp int;

uniform sampler2D uTexA;
uniform sampler2D uTexB;
uniform sampler2D uPalette;
uniform mat3 uFromScreenA;
uniform mat3 uFromScreenB;
uniform int uKindA;
uniform int uKindB;
uniform float uLodA;
uniform float uLodB;
uniform float uSlopeA;
uniform float uSlopeB;
uniform vec3 uLightA;
uniform vec3 uLightB;
uniform float uExaggeration;
uniform bool uFalseColour;
uniform bool uContrast;
uniform int uMode;
uniform float uSplitX;
uniform float uBlend;
uniform float uChecker;

out vec4 colour;

const float HALF_PI = 1.5707963268;
const vec3 BACKGROUND = vec3(0.102, 0.106, 0.118);
const vec3 HATCH_A = ${glsl(missingDataHatch[0])};
const vec3 HATCH_B = ${glsl(missingDataHatch[1])};
// Levels above the drawn one whose average is the "local mean" that enhanced contrast removes.
const float CONTRAST_LEVELS = 4.0;

vec2 slopesOf(vec4 t, float s0) {
  vec2 e = (t.rg * 255.0 - 128.0) / (127.0 * t.a);
  return s0 * tan(clamp(e, -0.995, 0.995) * HALF_PI);
}

// rgb, and in a whether the point shows measured data (1) or not (0).
vec4 look(sampler2D tex, int kind, vec2 uv, float lod, float s0, vec3 light) {
  if (kind == 0 || uv.x < 0.0 || uv.y < 0.0 || uv.x > 1.0 || uv.y > 1.0) return vec4(BACKGROUND, 0.0);
  vec4 t = textureLod(tex, uv, lod);
  if (kind == 2) {
    float g = t.r;
    if (uContrast) g = clamp(0.5 + 2.5 * (g - textureLod(tex, uv, lod + CONTRAST_LEVELS).r), 0.0, 1.0);
    return vec4(vec3(g), 1.0);
  }
  if (t.a < 0.5) {
    float stripe = mod(floor((gl_FragCoord.x + gl_FragCoord.y) / 8.0), 2.0);
    return vec4(stripe < 0.5 ? HATCH_A : HATCH_B, 0.0);
  }
  vec2 g = slopesOf(t, s0);
  if (uContrast) {
    vec4 m = textureLod(tex, uv, lod + CONTRAST_LEVELS);
    if (m.a > 0.05) g -= slopesOf(m, s0);
  }
  vec3 n = normalize(vec3(-uExaggeration * g, 1.0));
  float s = 0.15 + 0.85 * max(dot(n, light), 0.0);
  if (uContrast) s = clamp(0.5 + 1.6 * (s - 0.5), 0.0, 1.0);
  vec3 rgb = uFalseColour ? texture(uPalette, vec2(t.b / t.a, 0.5)).rgb * s : vec3(s);
  return vec4(rgb, 1.0);
}

vec4 lookA(vec3 q) { return look(uTexA, uKindA, (uFromScreenA * q).xy, uLodA, uSlopeA, uLightA); }
vec4 lookB(vec3 q) { return look(uTexB, uKindB, (uFromScreenB * q).xy, uLodB, uSlopeB, uLightB); }

void main() {
  vec3 q = vec3(gl_FragCoord.xy, 1.0);
  vec4 v;
  if (uMode == 0) v = lookA(q);
  else if (uMode == 1) v = lookB(q);
  else if (uMode == 2) v = gl_FragCoord.x < uSplitX ? lookA(q) : lookB(q);
  else if (uMode == 5) {
    float square = mod(floor(gl_FragCoord.x / uChecker) + floor(gl_FragCoord.y / uChecker), 2.0);
    v = square < 0.5 ? lookA(q) : lookB(q);
  } else {
    vec4 a = lookA(q);
    vec4 b = lookB(q);
    if (uMode == 3) v = vec4(mix(a.rgb, b.rgb, uBlend), 1.0);
    // Difference where both sides show data; elsewhere the side that does, dimmed, so coverage stays visible.
    else if (a.a > 0.5 && b.a > 0.5) v = vec4(min(vec3(1.0), 2.0 * abs(a.rgb - b.rgb)), 1.0);
    else v = vec4(0.4 * (a.a > 0.5 ? a.rgb : b.rgb), 1.0);
  }
  colour = vec4(v.rgb, 1.0);
}
`;

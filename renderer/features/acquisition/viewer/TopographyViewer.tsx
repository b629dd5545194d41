// A topography as a shaded relief under an adjustable virtual light. Normals are computed once per map (and per
// exaggeration); moving the light only re-shades into the same ImageData, at most once per animation frame.
// Keys on the relief: A/D turn the light, W/S raise and lower it, C toggles false colour (plus RasterView's zoom keys).
import { Box, Group, Stack, Switch, Text } from '@mantine/core';
import { KeyboardSlider } from '../../../shared/KeyboardSlider.tsx';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { RasterView } from './RasterView.tsx';
import { computeNormals, invalidHatch, shadeRelief, type HeightMap } from './shading.ts';
import { colourTable, heightRange } from '../../../shared/heightColour.ts';

const rgb = (c: readonly number[]) => `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
const gradient = `linear-gradient(to right, ${[0, 64, 128, 192, 255].map((i) => rgb(Array.from(colourTable.subarray(i * 3, i * 3 + 3)))).join(', ')})`;

export function TopographyViewer({ map, height }: { map: HeightMap; height?: number | string }) {
  const { t } = useTranslation();
  const [azimuth, setAzimuth] = useState(315);
  const [elevation, setElevation] = useState(35);
  const [exaggeration, setExaggeration] = useState(3);
  const [falseColour, setFalseColour] = useState(false);
  const [version, setVersion] = useState(0);

  const normals = useMemo(() => computeNormals(map, exaggeration), [map, exaggeration]);
  const range = useMemo(() => heightRange(map.heights), [map]);
  const target = useMemo(() => {
    const canvas = document.createElement('canvas');
    canvas.width = map.width;
    canvas.height = map.height;
    const ctx = canvas.getContext('2d');
    return ctx ? { canvas, ctx, pixels: ctx.createImageData(map.width, map.height) } : null;
  }, [map]);

  const frame = useRef(0);
  useEffect(() => {
    if (!target) return;
    cancelAnimationFrame(frame.current);
    frame.current = requestAnimationFrame(() => {
      shadeRelief(
        normals,
        {
          azimuthDeg: azimuth,
          elevationDeg: elevation,
          falseColour: falseColour && range ? { heights: map.heights, range } : undefined,
        },
        target.pixels.data,
      );
      target.ctx.putImageData(target.pixels, 0, 0);
      setVersion((v) => v + 1);
    });
    return () => cancelAnimationFrame(frame.current);
  }, [target, normals, azimuth, elevation, falseColour, range, map]);

  const onKey = (event: KeyboardEvent<HTMLDivElement>): boolean => {
    const step = event.shiftKey ? 45 : 15;
    switch (event.key.toLowerCase()) {
      case 'a':
        setAzimuth((a) => (a - step + 360) % 360);
        return true;
      case 'd':
        setAzimuth((a) => (a + step) % 360);
        return true;
      case 'w':
        setElevation((e) => Math.min(90, e + 5));
        return true;
      case 's':
        setElevation((e) => Math.max(5, e - 5));
        return true;
      case 'c':
        setFalseColour((f) => !f);
        return true;
      default:
        return false;
    }
  };

  const legend = (
    <Stack gap={4} p={6} style={{ background: 'rgba(0,0,0,0.55)', borderRadius: 4 }}>
      {falseColour && range ? (
        <div>
          <Box w={140} h={8} style={{ background: gradient }} />
          <Group justify="space-between" gap={4}>
            <Text size="xs" c="white">
              {t('viewer.micrometres', { value: range.min.toFixed(1) })}
            </Text>
            <Text size="xs" c="white">
              {t('viewer.micrometres', { value: range.max.toFixed(1) })}
            </Text>
          </Group>
        </div>
      ) : null}
      <Group gap={6}>
        <Box
          w={14}
          h={14}
          style={{
            background: `repeating-linear-gradient(45deg, ${rgb(invalidHatch[0])} 0 4px, ${rgb(invalidHatch[1])} 4px 8px)`,
          }}
        />
        <Text size="xs" c="white">
          {t('viewer.invalid')}
        </Text>
      </Group>
    </Stack>
  );

  return (
    <Stack gap="xs">
      <RasterView
        source={target?.canvas ?? null}
        version={version}
        pixelUm={map.pixelUm}
        label={t('viewer.reliefLabel', { width: map.width, height: map.height, azimuth, elevation })}
        height={height}
        onKey={onKey}
        overlay={legend}
        testId="relief"
      />
      <Group grow align="flex-start" gap="lg">
        <div>
          <Text size="xs" id="light-azimuth">
            {t('viewer.azimuth', { value: azimuth })}
          </Text>
          <KeyboardSlider
            aria-labelledby="light-azimuth"
            min={0}
            max={359}
            step={1}
            value={azimuth}
            onChange={setAzimuth}
            label={null}
            name={t('viewer.azimuthShort')}
          />
        </div>
        <div>
          <Text size="xs" id="light-elevation">
            {t('viewer.elevation', { value: elevation })}
          </Text>
          <KeyboardSlider
            aria-labelledby="light-elevation"
            min={5}
            max={90}
            step={1}
            value={elevation}
            onChange={setElevation}
            label={null}
            name={t('viewer.elevationShort')}
          />
        </div>
        <div>
          <Text size="xs" id="relief-exaggeration">
            {t('viewer.exaggeration', { value: exaggeration })}
          </Text>
          <KeyboardSlider
            aria-labelledby="relief-exaggeration"
            min={1}
            max={20}
            step={1}
            value={exaggeration}
            onChange={setExaggeration}
            label={null}
            name={t('viewer.exaggerationShort')}
          />
        </div>
        <Switch
          label={t('viewer.falseColour')}
          checked={falseColour}
          onChange={(e) => setFalseColour(e.currentTarget.checked)}
          mt="md"
        />
      </Group>
      <Text size="xs" c="dimmed">
        {t('viewer.reliefKeys')}
      </Text>
    </Stack>
  );
}

// A UVC camera (cheap USB microscope) through Chromium's getUserMedia: list the video inputs, open one, and
// grab each new video frame into 8-bit grey for the live view, with the focus measure and histogram computed
// here in the renderer. "No camera", "access denied" and "unplugged" are states, not exceptions.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createFramePublisher, type FramePublisher } from '../live/frameFeed.ts';
import { frameStats, greyFromRgba } from '../live/frameStats.ts';
import { uvcProblemOf, videoInputs, type UvcProblem, type VideoInput } from './uvcProblem.ts';

export interface UvcState {
  devices: VideoInput[];
  /** True once the devices have been listed at least once. */
  listed: boolean;
  phase: 'idle' | 'opening' | 'live';
  deviceId: string | null;
  problem: UvcProblem | null;
  /** The browser's own words about the problem, shown as detail. */
  detail: string | null;
  size: { width: number; height: number } | null;
}

const initial: UvcState = {
  devices: [],
  listed: false,
  phase: 'idle',
  deviceId: null,
  problem: null,
  detail: null,
  size: null,
};

interface Grabber {
  stream: MediaStream;
  video: HTMLVideoElement;
  canvas: HTMLCanvasElement;
  stopped: boolean;
  handle: number;
}

function mediaDevices(): MediaDevices | null {
  // Missing outside a secure context (plain http on another host) and in very old shells.
  return typeof navigator !== 'undefined' && typeof navigator.mediaDevices?.getUserMedia === 'function'
    ? navigator.mediaDevices
    : null;
}

export function useUvcCamera(): {
  state: UvcState;
  feed: FramePublisher;
  list: () => Promise<void>;
  open: (deviceId: string) => Promise<void>;
  close: () => void;
} {
  const [state, setState] = useState<UvcState>(initial);
  const feed = useMemo(() => createFramePublisher(), []);
  const grabber = useRef<Grabber | null>(null);

  const list = useCallback(async () => {
    const media = mediaDevices();
    if (!media) {
      setState((s) => ({ ...s, listed: true, problem: 'unsupported', detail: null }));
      return;
    }
    try {
      const devices = videoInputs(await media.enumerateDevices());
      setState((s) => ({
        ...s,
        devices,
        listed: true,
        // A camera that is open keeps its state; otherwise an empty list is the "no camera" state.
        problem:
          s.phase === 'live'
            ? s.problem
            : devices.length === 0
              ? 'noCamera'
              : s.problem === 'noCamera'
                ? null
                : s.problem,
      }));
    } catch (error) {
      setState((s) => ({
        ...s,
        listed: true,
        problem: uvcProblemOf(error),
        detail: String((error as Error)?.message ?? error),
      }));
    }
  }, []);

  const stopGrabber = useCallback(() => {
    const g = grabber.current;
    if (!g) return;
    grabber.current = null;
    g.stopped = true;
    if ('cancelVideoFrameCallback' in g.video) g.video.cancelVideoFrameCallback(g.handle);
    else cancelAnimationFrame(g.handle);
    for (const track of g.stream.getTracks()) track.stop();
    g.video.srcObject = null;
  }, []);

  const close = useCallback(() => {
    stopGrabber();
    setState((s) => ({ ...s, phase: 'idle', deviceId: null, size: null }));
  }, [stopGrabber]);

  const open = useCallback(
    async (deviceId: string) => {
      const media = mediaDevices();
      if (!media) {
        setState((s) => ({ ...s, problem: 'unsupported', detail: null }));
        return;
      }
      stopGrabber();
      setState((s) => ({ ...s, phase: 'opening', deviceId, problem: null, detail: null }));
      let stream: MediaStream;
      try {
        // An empty id (before the first permission) means "the default camera".
        const video: MediaTrackConstraints = { width: { ideal: 1920 }, height: { ideal: 1080 } };
        if (deviceId) video.deviceId = { exact: deviceId };
        stream = await media.getUserMedia({ video, audio: false });
      } catch (error) {
        setState((s) => ({
          ...s,
          phase: 'idle',
          deviceId: null,
          problem: uvcProblemOf(error),
          detail: String((error as Error)?.message ?? error),
        }));
        return;
      }
      const video = document.createElement('video');
      video.muted = true;
      video.playsInline = true;
      video.srcObject = stream;
      const canvas = document.createElement('canvas');
      const g: Grabber = { stream, video, canvas, stopped: false, handle: 0 };
      grabber.current = g;
      const [track] = stream.getVideoTracks();
      // An unplugged camera ends its track; that is a state to show, not a crash.
      track?.addEventListener('ended', () => {
        if (grabber.current !== g) return;
        stopGrabber();
        setState((s) => ({ ...s, phase: 'idle', deviceId: null, size: null, problem: 'ended', detail: null }));
      });
      try {
        await video.play();
      } catch (error) {
        stopGrabber();
        setState((s) => ({
          ...s,
          phase: 'idle',
          deviceId: null,
          problem: uvcProblemOf(error),
          detail: String((error as Error)?.message ?? error),
        }));
        return;
      }
      const grab = () => {
        if (g.stopped) return;
        const width = video.videoWidth;
        const height = video.videoHeight;
        if (width > 0 && height > 0) {
          if (canvas.width !== width || canvas.height !== height) {
            canvas.width = width;
            canvas.height = height;
            setState((s) => ({ ...s, size: { width, height } }));
          }
          const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
          ctx.drawImage(video, 0, 0);
          const pixels = greyFromRgba(ctx.getImageData(0, 0, width, height).data, new Uint8Array(width * height));
          const stats = frameStats(pixels, width, height, 2);
          feed.push({
            width,
            height,
            pixels,
            focus: stats.focus,
            histogram: stats.histogram,
            saturatedFraction: stats.saturatedFraction,
          });
        }
        g.handle =
          'requestVideoFrameCallback' in video ? video.requestVideoFrameCallback(grab) : requestAnimationFrame(grab);
      };
      grab();
      setState((s) => ({ ...s, phase: 'live' }));
      // Names and ids appear only after access was granted: list again now.
      void list();
    },
    [feed, list, stopGrabber],
  );

  useEffect(() => {
    const media = mediaDevices();
    void list();
    if (!media) return;
    const onChange = () => void list();
    media.addEventListener('devicechange', onChange);
    return () => {
      media.removeEventListener('devicechange', onChange);
      stopGrabber();
    };
  }, [list, stopGrabber]);

  return { state, feed, list, open, close };
}

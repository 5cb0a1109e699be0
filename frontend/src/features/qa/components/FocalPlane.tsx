import { ARMS, SPECTROGRAPHS, qaClass } from '@/lib/instrument';
import type { QaStatus } from '@/lib/types';

import { gradeGlyph, gradeName } from '@/components/ui/Grade';

import type { QaCamera } from '../api/qa';

import { explainMetric } from './MetricTable';

/** Status of a camera for one step ('' = the camera's overall QA); `failed` when it failed. */
export function cameraStatus(cam: QaCamera | undefined, step: string): [QaStatus | null, boolean] {
  if (!cam) return [null, false];
  if (step === '') return [cam.status, Boolean(cam.error || cam.failed_step)];
  const s = cam.steps[step];
  if (!s) return [null, cam.failed_step === step];
  return [s.status, Boolean(s.error) || cam.failed_step === step];
}

/** Why a camera is graded so at a step ('' = every step): its metrics not NORMAL, explained. */
export function cameraWhy(cam: QaCamera | undefined, step: string): string {
  if (!cam) return '';
  if (cam.error) return cam.error;
  const steps = step ? [cam.steps[step]] : Object.values(cam.steps);
  return steps
    .flatMap((s) => s?.metrics ?? [])
    .filter((m) => m.status && m.status !== 'NORMAL')
    .map((m) => `${m.key} ${gradeName(m.status)}: ${explainMetric(m) || 'no reason given'}`)
    .join('; ');
}

const RADII: Record<string, [number, number]> = { b: [40, 80], r: [82, 122], z: [124, 164] };
const C = 190;

function wedge(sp: number, arm: string): string {
  const [r0, r1] = RADII[arm] ?? [0, 0];
  const gap = 0.02;
  const a0 = ((sp * 36 - 90) * Math.PI) / 180 + gap;
  const a1 = (((sp + 1) * 36 - 90) * Math.PI) / 180 - gap;
  const pt = (r: number, a: number) =>
    `${(C + r * Math.cos(a)).toFixed(2)} ${(C + r * Math.sin(a)).toFixed(2)}`;
  return `M ${pt(r0, a0)} L ${pt(r1, a0)} A ${r1} ${r1} 0 0 1 ${pt(r1, a1)} L ${pt(r0, a1)} A ${r0} ${r0} 0 0 0 ${pt(r0, a0)} Z`;
}

type Props = {
  cameras: QaCamera[];
  step: string;
  selected: string | null;
  onHover: (camera: string | null) => void;
  onSelect: (camera: string) => void;
};

/** The 10 petals of the focal plane, each split by arm (b inside, z outside). */
export function FocalPlane({ cameras, step, selected, onHover, onSelect }: Props) {
  const byName = new Map(cameras.map((c) => [c.camera, c]));
  return (
    <svg
      viewBox="0 0 380 380"
      className="focal-plane"
      role="img"
      aria-label="Focal plane: 10 petals by arm"
    >
      {SPECTROGRAPHS.map((sp) => {
        const mid = ((sp * 36 + 18 - 90) * Math.PI) / 180;
        return (
          <g key={sp}>
            {ARMS.map((arm) => {
              const camera = `${arm}${sp}`;
              const [status, failed] = cameraStatus(byName.get(camera), step);
              const why = cameraWhy(byName.get(camera), step);
              const said = `${camera} ${gradeName(status, failed)}${why ? `: ${why}` : ''}`;
              const [r0, r1] = RADII[arm] ?? [0, 0];
              const r = (r0 + r1) / 2;
              return (
                <g key={arm}>
                  <path
                    d={wedge(sp, arm)}
                    data-camera={camera}
                    className={`petal ${qaClass(status, failed)} ${selected === camera ? 'selected' : ''}`}
                    role="button"
                    aria-label={said}
                    tabIndex={0}
                    onMouseEnter={() => onHover(camera)}
                    onMouseLeave={() => onHover(null)}
                    onFocus={() => onHover(camera)}
                    onClick={() => onSelect(camera)}
                    onKeyDown={(e) => e.key === 'Enter' && onSelect(camera)}
                  >
                    <title>{said}</title>
                  </path>
                  <text
                    x={C + r * Math.cos(mid)}
                    y={C + r * Math.sin(mid) + 4}
                    className="petal-glyph"
                    textAnchor="middle"
                    aria-hidden="true"
                  >
                    {status || failed ? gradeGlyph(status, failed) : ''}
                  </text>
                </g>
              );
            })}
            <text
              x={C + 178 * Math.cos(mid)}
              y={C + 178 * Math.sin(mid) + 4}
              className="petal-label"
              textAnchor="middle"
            >
              {sp}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

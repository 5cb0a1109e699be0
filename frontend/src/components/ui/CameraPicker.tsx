import { ARMS, SPECTROGRAPHS } from '@/lib/instrument';

type Props = { selected: string[]; onChange: (cameras: string[]) => void };

/** The 30 cameras as toggle buttons, one row per arm, with whole-arm shortcuts. */
export function CameraPicker({ selected, onChange }: Props) {
  const chosen = new Set(selected);
  const toggle = (camera: string) =>
    onChange(chosen.has(camera) ? selected.filter((c) => c !== camera) : [...selected, camera]);
  return (
    <fieldset className="camera-picker">
      <legend>Cameras</legend>
      {ARMS.map((arm) => {
        const row = SPECTROGRAPHS.map((sp) => `${arm}${sp}`);
        const all = row.every((c) => chosen.has(c));
        return (
          <div key={arm} className="camera-picker-row">
            <button
              type="button"
              className="btn small"
              aria-pressed={all}
              onClick={() =>
                onChange(
                  all
                    ? selected.filter((c) => !row.includes(c))
                    : [...selected.filter((c) => !row.includes(c)), ...row],
                )
              }
            >
              all {arm}
            </button>
            {row.map((camera) => (
              <button
                key={camera}
                type="button"
                className="toggle"
                aria-pressed={chosen.has(camera)}
                onClick={() => toggle(camera)}
              >
                {camera}
              </button>
            ))}
          </div>
        );
      })}
    </fieldset>
  );
}

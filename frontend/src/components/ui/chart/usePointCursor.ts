import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

/**
 * The point under the pointer (nearest within 24 units of the SVG's viewBox) or, from the
 * keyboard, the one reached with the arrow keys (points in reading order), Home and End.
 */
export function usePointCursor(
  points: { px: number; py: number }[],
  width: number,
  height: number,
) {
  const svgRef = useRef<SVGSVGElement>(null);
  const [active, setActive] = useState<number | null>(null);

  const onPointerMove = (event: PointerEvent<SVGSVGElement>) => {
    const box = svgRef.current?.getBoundingClientRect();
    if (!box || box.width === 0 || points.length === 0) return;
    const vx = ((event.clientX - box.left) / box.width) * width;
    const vy = ((event.clientY - box.top) / box.height) * height;
    let best = -1;
    let bestD = 24 ** 2;
    points.forEach((p, i) => {
      const d = (p.px - vx) ** 2 + (p.py - vy) ** 2;
      if (d < bestD) [best, bestD] = [i, d];
    });
    setActive(best >= 0 ? best : null);
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (points.length === 0) return;
    const last = points.length - 1;
    const moves: Record<string, number> = {
      ArrowRight: active === null ? 0 : Math.min(last, active + 1),
      ArrowLeft: active === null ? last : Math.max(0, active - 1),
      Home: 0,
      End: last,
    };
    if (event.key in moves) {
      event.preventDefault();
      setActive(moves[event.key] ?? null);
    } else if (event.key === 'Escape') setActive(null);
  };

  const current = active === null ? null : active < points.length ? active : null;
  return {
    svgRef,
    active: current,
    clear: () => setActive(null),
    onPointerMove,
    onKeyDown,
  };
}

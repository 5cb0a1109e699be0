/**
 * The Aitoff projection of the sky as astronomers draw it: RA 0–360° with RA increasing to the
 * left (east on the left, as seen from inside the sphere), centred on RA 180°, Dec up.
 * Returns x in [-π, π] and y in [-π/2, π/2] (radians of the projection plane).
 */
export function aitoff(raDeg: number, decDeg: number): [number, number] {
  const lambda = (-((((raDeg % 360) + 360) % 360) - 180) * Math.PI) / 180;
  const phi = (decDeg * Math.PI) / 180;
  const alpha = Math.acos(Math.cos(phi) * Math.cos(lambda / 2));
  const sinc = alpha === 0 ? 1 : Math.sin(alpha) / alpha;
  return [(2 * Math.cos(phi) * Math.sin(lambda / 2)) / sinc, Math.sin(phi) / sinc];
}

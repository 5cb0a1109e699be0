/** Series colours that stay apart on the dark page (Okabe–Ito, then a few more). */
const PALETTE = [
  '#56b4e9',
  '#e69f00',
  '#cc79a7',
  '#009e73',
  '#f0e442',
  '#0072b2',
  '#d55e00',
  '#a6a6ff',
  '#7fdbca',
  '#ff9da7',
  '#bab0ac',
  '#9c755f',
];

export function seriesColor(i: number): string {
  return PALETTE[i % PALETTE.length] ?? '#56b4e9';
}

import { alignSeries, xRange, yRange, type ChartSeries } from './chart-model';

const s = (id: string, points: [number, number][]): ChartSeries => ({
  id,
  name: id,
  color: '#fff',
  points: points.map(([x, y]) => ({ x, y, tip: [] })),
});

test('series share rows where their x agree; repeated x within a series keep every point', () => {
  const { xs, ys, flat } = alignSeries([
    s('a', [
      [2, 20],
      [1, 10],
    ]),
    s('b', [
      [2, 5],
      [3, 7],
      [3, 8],
    ]),
  ]);
  expect(xs).toEqual([1, 2, 3, 3]);
  expect(ys).toEqual([
    [10, 20, null, null],
    [null, 5, 7, 8],
  ]);
  expect(flat.map((p) => `${p.series.id}${p.y}`)).toEqual(['a10', 'a20', 'b5', 'b7', 'b8']);
});

test('ranges fit the data (not the requested dates), with what must be seen', () => {
  expect(xRange([100, 200], 'linear')).toEqual([98, 202]);
  expect(xRange([5000], 'time')).toEqual([5000 - 43_200, 5000 + 43_200]); // one night: a day
  expect(yRange([[1, 2, null]], [])).toEqual([0.94, 2.06]);
  expect(yRange([[1, 2]], [0, 5])).toEqual([-0.3, 5.3]); // the WARNING limits stay in view
  expect(yRange([[3]], [])).toEqual([2.7, 3.3]);
});

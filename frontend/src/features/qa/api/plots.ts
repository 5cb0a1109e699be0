import { useQuery } from '@tanstack/react-query';

import { api } from '@/lib/api-client';

/** A Bokeh `json_item` as served by `/api/plots/...` (rendered by BokehJS, never inspected). */
export type BokehItem = {
  target_id: string | null;
  root_id: string;
  doc: unknown;
  version: string;
};
export type PlotResources = { version: string; js: string[] };

type BokehEmbed = {
  embed: { embed_item: (item: BokehItem, target: HTMLElement) => Promise<unknown> };
};
declare global {
  interface Window {
    Bokeh?: BokehEmbed & { version?: string };
  }
}

let loading: Promise<BokehEmbed> | null = null;

function loadScript(src: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = src;
    script.async = false; // the bundles must run in order: core, widgets, tables
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`cannot load ${src}`));
    document.head.appendChild(script);
  });
}

/** BokehJS from the server (its version is the Python package's), loaded once per page. */
export function loadBokeh(resources: PlotResources): Promise<BokehEmbed> {
  if (window.Bokeh) return Promise.resolve(window.Bokeh);
  loading ??= Promise.all(resources.js.map(loadScript)).then(() => {
    if (!window.Bokeh) throw new Error('BokehJS did not load');
    return window.Bokeh;
  });
  return loading;
}

export function usePlotResources() {
  return useQuery({
    queryKey: ['plots', 'resources'],
    queryFn: () => api.get<PlotResources>('plots/resources/'),
    staleTime: Infinity,
  });
}

/** What to plot: a metric (registry name or key), the CCD image, or a fiber's spectrum. */
export type PlotRequest =
  | { kind: 'metric'; metric: string; process: number; camera: string }
  | { kind: 'ccd'; process: number; camera: string }
  | { kind: 'spectra'; process: number; camera: string; fiber: number };

function plotPath(request: PlotRequest): string {
  if (request.kind === 'metric') return `plots/${encodeURIComponent(request.metric)}/`;
  return `plots/${request.kind}/`;
}

function plotQuery(request: PlotRequest) {
  const fiber = request.kind === 'spectra' ? request.fiber : undefined;
  return { process: request.process, camera: request.camera, fiber };
}

export function usePlot(request: PlotRequest) {
  return useQuery({
    queryKey: ['plots', request],
    queryFn: () => api.get<BokehItem>(plotPath(request), plotQuery(request)),
    staleTime: 5 * 60_000,
  });
}

import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';

import { installFakeSocket, mockApi } from '@/testing/api-mock';
import { operator, renderApp, viewer } from '@/testing/render';

import type { Alarm, AuditEntry, Mask } from '../api/alarms';

function alarmsApi(me: object) {
  const alarms: Alarm[] = [
    { seq: 12, time: '2026-11-22T03:17:00Z', level: 'ALARM', camera: 'r3', expid: 42,
      text: 'r3 of 42: ALARM in CHECK_CCDs/BIAS_AMP', ack: null },
    { seq: 9, time: '2026-11-22T03:10:00Z', level: 'WARNING', camera: 'b0', expid: 41,
      text: 'b0 of 41: WARNING in CHECK_FIBERS/NGOODFIB',
      ack: { seq: 9, level: 'WARNING', camera: 'b0', expid: 41, author: 'otto',
             note: 'fiber 2 is dead', time: '2026-11-22T03:12:00Z' } },
  ]; // prettier-ignore
  const masks: Mask[] = [
    { id: 3, camera: 'z1', amp: '', fiber: 7, target: 'z1 fiber 7', metrics: ['NGOODFIB'],
      night_from: 20261120, night_to: null, reason: 'broken fiber', created_by: 'otto',
      created: '2026-11-20T20:00:00Z', ended: null },
  ]; // prettier-ignore
  const audit: AuditEntry[] = [
    { id: 1, time: '2026-11-20T20:00:00Z', author: 'otto', action: 'mask.create',
      target: 'mask 3', detail: { reason: 'broken fiber' } },
  ]; // prettier-ignore
  return mockApi({
    'GET /api/auth/me/': me,
    'GET /api/alarms/': ({ url }) => {
      const state = url.searchParams.get('state');
      const shown = alarms.filter((a) => state === 'all' || (state === 'open') === !a.ack);
      return { body: shown };
    },
    'POST /api/alarms/12/ack/': ({ body }) => {
      const ack = { seq: 12, level: 'ALARM', camera: 'r3', expid: 42, author: 'otto',
                    note: (body as { note: string }).note, time: '2026-11-22T03:30:00Z' }; // prettier-ignore
      alarms[0] = { ...alarms[0]!, ack };
      return { status: 201, body: ack };
    },
    'GET /api/masks/': () => ({ body: masks }),
    'POST /api/masks/': ({ body }) => {
      const b = body as Mask;
      const made: Mask = { ...b, id: 4, target: `${b.camera} amp ${b.amp}`, night_from: 20261122,
        night_to: null, created_by: 'otto', created: '2026-11-22T03:40:00Z', ended: null }; // prettier-ignore
      masks.unshift(made);
      return { status: 201, body: made };
    },
    'POST /api/masks/3/end/': () => {
      masks[masks.length - 1] = {
        ...masks.at(-1)!,
        night_to: 20261121,
        ended: '2026-11-22T04:00:00Z',
      };
      return { body: masks.at(-1) };
    },
    'GET /api/audit/': () => ({ body: audit }),
  });
}

test('operators acknowledge open alarms, mask an amp and end a mask', async () => {
  installFakeSocket(true);
  const { calls } = alarmsApi(operator);
  renderApp('/alarms');
  const user = userEvent.setup({ delay: null });
  const alarms = await screen.findByRole('region', { name: 'Alarms' });
  expect(await within(alarms).findByText(/CHECK_CCDs\/BIAS_AMP/)).toBeInTheDocument();
  expect(within(alarms).queryByText(/NGOODFIB/)).not.toBeInTheDocument(); // open only
  const form = within(alarms).getByRole('form', { name: 'Acknowledge ALARM r3 #42' });
  await user.type(within(form).getByLabelText('Acknowledgement note'), 'bias known, masked');
  await user.click(within(form).getByRole('button', { name: 'Acknowledge' }));
  expect(calls.find((c) => c.method === 'POST')!.body).toEqual({ note: 'bias known, masked' });
  expect(await within(alarms).findByText('No open alarm.')).toBeInTheDocument();
  await user.selectOptions(within(alarms).getByRole('combobox'), 'all');
  expect(
    await within(alarms).findByText(/acknowledged by otto .*: bias known, masked/),
  ).toBeInTheDocument();

  const masks = screen.getByRole('region', { name: 'Masks' });
  expect(await within(masks).findByText('z1 fiber 7')).toBeInTheDocument();
  const newMask = within(masks).getByRole('form', { name: 'New mask' });
  await user.type(within(newMask).getByLabelText('Camera'), 'r3');
  await user.selectOptions(within(newMask).getByLabelText('Element'), 'amp');
  await user.selectOptions(within(newMask).getByLabelText('Amp'), 'C');
  await user.type(within(newMask).getByLabelText('Metrics'), 'bias_amp, noise_amp');
  await user.type(within(newMask).getByLabelText('From night'), '20261122');
  await user.type(within(newMask).getByLabelText('Reason'), 'amp C noisy since cooldown');
  await user.click(within(newMask).getByRole('button', { name: 'Mask' }));
  const created = calls.find((c) => c.method === 'POST' && c.url.pathname === '/api/masks/')!;
  expect(created.body).toEqual({
    camera: 'r3', amp: 'C', fiber: null, metrics: ['BIAS_AMP', 'NOISE_AMP'],
    night_from: '20261122', night_to: null, reason: 'amp C noisy since cooldown',
  }); // prettier-ignore
  expect(await within(masks).findByText('r3 amp C')).toBeInTheDocument();
  await user.click(within(masks).getByRole('button', { name: 'End mask of z1 fiber 7' }));
  expect(await within(masks).findByText(/^ended /)).toBeInTheDocument();
  const audit = screen.getByRole('region', { name: 'Audit log' });
  expect(within(audit).getByText('mask.create')).toBeInTheDocument();
});

test('viewers read alarms, masks and the audit log but change nothing', async () => {
  installFakeSocket(true);
  alarmsApi(viewer);
  renderApp('/alarms');
  const alarms = await screen.findByRole('region', { name: 'Alarms' });
  expect(await within(alarms).findByText(/CHECK_CCDs\/BIAS_AMP/)).toBeInTheDocument();
  expect(within(alarms).queryByRole('form')).not.toBeInTheDocument();
  const masks = screen.getByRole('region', { name: 'Masks' });
  expect(await within(masks).findByText('broken fiber')).toBeInTheDocument();
  expect(within(masks).getByText('active')).toBeInTheDocument();
  expect(within(masks).queryByRole('form', { name: 'New mask' })).not.toBeInTheDocument();
  expect(screen.getByRole('link', { name: 'Alarms & masks' })).toHaveAttribute('href', '/alarms');
});

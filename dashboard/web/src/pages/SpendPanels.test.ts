// A panel that could not be read says which ce: action to grant; an anomaly's detail gives
// its dates, impact and every root cause (account included).
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { makeSpendPage } from '../../../test/spend-fixture.js';
import { AnomaliesPanel, AnomalyDetail } from './SpendPanels.js';

const NOW = Date.UTC(2026, 10, 20, 12);
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ');

describe('the Spend page panels', () => {
  it('given the anomalies denied, then the panel names the ce: action to grant', () => {
    const html = renderToStaticMarkup(
      createElement(AnomaliesPanel, {
        anomalies: null,
        problem: {
          kind: 'access-denied',
          message: 'Access denied to ce:GetAnomalies',
          iamAction: 'ce:GetAnomalies',
          actions: ['Grant ce:GetAnomalies to the IAM identity of your credentials.'],
        },
        onSelect: () => undefined,
        query: {},
        clock: { now: NOW, receivedAt: NOW },
      }),
    );
    expect(html).toContain('data-kind="access-denied"');
    expect(text(html)).toContain('Grant ce:GetAnomalies to read this.');
    expect(text(html)).toContain('Cost Explorer: access denied');
    expect(html).not.toContain('data-testid="csv-anomalies"');
  });

  it("gives an anomaly's dates, impact and root causes with their account", () => {
    const anomaly = makeSpendPage({ now: NOW }).anomalies!.anomalies[0]!;
    const t = text(
      renderToStaticMarkup(createElement(AnomalyDetail, { anomaly, onClose: () => undefined })),
    );
    expect(t).toContain('11 Nov 2026 – 19 Nov 2026 (9 days, still going on)');
    expect(t).toContain('$1,224 above the expected $196 (+625%)');
    expect(t).toContain('BoxUsage:g5.12xlarge');
    expect(t).toContain('account store-dev (123456789012)');
  });
});

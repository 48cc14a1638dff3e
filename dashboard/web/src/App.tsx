import { lazy, Suspense, useEffect, useState } from 'react';
import { fetchMeta, type DashboardMeta } from './api.js';
import { LiveIndicator } from './components/LiveIndicator.js';
import { STATUS_WORD } from './format.js';
import { LiveProvider, useLive } from './live.js';
import { Overview } from './pages/Overview.js';
import { Link, useLocation } from './router.js';

// The Health and Spend pages carry the charting library; the Overview must not wait for it.
const loadHealthPage = () => import('./pages/Health.js');
const HealthPage = lazy(loadHealthPage);
const loadSpendPage = () => import('./pages/Spend.js');
const SpendPage = lazy(loadSpendPage);
const ScalingPage = lazy(() => import('./pages/Scaling.js'));
const ChangesPage = lazy(() => import('./pages/Changes.js'));
const loadLoadTestsPage = () => import('./pages/LoadTests.js');
const LoadTestsPage = lazy(loadLoadTestsPage);

const PAGES = {
  '/': 'overview',
  '/health': 'health',
  '/spend': 'spend',
  '/scaling': 'scaling',
  '/workers': 'workers',
  '/changes': 'changes',
  '/loadtests': 'loadtests',
} as const;

const NAV: { to: keyof typeof PAGES; label: string }[] = [
  { to: '/', label: 'Overview' },
  { to: '/health', label: 'Health' },
  { to: '/spend', label: 'Spend' },
  { to: '/scaling', label: 'Scaling' },
  { to: '/workers', label: 'Workers' },
  { to: '/changes', label: 'Changes' },
  { to: '/loadtests', label: 'Load tests' },
];

export function App() {
  return (
    <LiveProvider>
      <Shell />
    </LiveProvider>
  );
}

function Shell() {
  const { pathname } = useLocation();
  const { summary } = useLive();
  const [meta, setMeta] = useState<DashboardMeta>();

  useEffect(() => {
    const abort = new AbortController();
    fetchMeta(abort.signal).then(setMeta, () => undefined);
    return () => abort.abort();
  }, []);

  // Fetch the other pages' code while the user reads the Overview.
  useEffect(() => {
    const timer = setTimeout(() => {
      void loadHealthPage();
      void loadSpendPage();
    }, 1_500);
    return () => clearTimeout(timer);
  }, []);

  useEffect(() => {
    document.title = summary
      ? `${STATUS_WORD[summary.status]} · ${summary.platform} · Ballast`
      : 'Ballast';
  }, [summary]);

  const page: (typeof PAGES)[keyof typeof PAGES] | 'missing' =
    pathname in PAGES ? PAGES[pathname as keyof typeof PAGES] : 'missing';

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          <img className="brand-mark" src="/favicon.svg" alt="" />
          <span className="brand-name">Ballast</span>
        </div>
        <nav className="nav" aria-label="Pages">
          {NAV.map((n) => (
            <Link
              key={n.to}
              to={n.to}
              className="nav-link"
              {...(page === PAGES[n.to] ? { 'aria-current': 'page' as const } : {})}
            >
              {n.label}
            </Link>
          ))}
        </nav>
        <div className="context" data-testid="context">
          {meta ? (
            <>
              <span className="context-platform">{meta.platform}</span>
              <span className="context-name" title={`Requests go to ${meta.endpoint}`}>
                {meta.context}
              </span>
            </>
          ) : null}
        </div>
        <LiveIndicator refreshSeconds={meta?.refreshSeconds ?? 15} />
      </header>
      <main className="content">
        {page === 'overview' ? <Overview /> : null}
        {page === 'health' ? (
          <Suspense fallback={<div className="loading">Loading charts…</div>}>
            <HealthPage />
          </Suspense>
        ) : null}
        {page === 'spend' ? (
          <Suspense fallback={<div className="loading">Loading spend…</div>}>
            <SpendPage />
          </Suspense>
        ) : null}
        {page === 'scaling' || page === 'workers' ? (
          <Suspense fallback={<div className="loading">Loading scaling…</div>}>
            <ScalingPage key={page} kind={page === 'scaling' ? 'web' : 'workers'} />
          </Suspense>
        ) : null}
        {page === 'changes' ? (
          <Suspense fallback={<div className="loading">Loading changes…</div>}>
            <ChangesPage />
          </Suspense>
        ) : null}
        {page === 'loadtests' ? (
          <Suspense fallback={<div className="loading">Loading load tests…</div>}>
            <LoadTestsPage />
          </Suspense>
        ) : null}
        {page === 'missing' ? (
          <div className="empty">
            Nothing lives at {pathname}. Go to the <Link to="/">Overview</Link>.
          </div>
        ) : null}
      </main>
    </div>
  );
}

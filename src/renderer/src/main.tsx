import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { createActions } from './actions/actions';
import { connectEngine } from './bridge/connect';
import { CockpitContext, type Cockpit } from './context';
import { createUiStore } from './store/ui-store';
import './styles.css';

const connection = connectEngine(window);
const ui = createUiStore();
const cockpit: Cockpit = { store: connection.store, ui, actions: createActions(connection.api, connection.store, ui, () => connection.resync()) };
window.addEventListener('pagehide', () => connection.stop());

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <CockpitContext.Provider value={cockpit}>
      <App />
    </CockpitContext.Provider>
  </StrictMode>,
);

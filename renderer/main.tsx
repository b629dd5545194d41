import '@mantine/core/styles.layer.css';
import '@mantine/notifications/styles.layer.css';
import 'mantine-datatable/styles.layer.css';
import './app/app.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { initI18n } from './i18n/index.ts';
import { createStation } from './api/station.ts';
import { createQueryClient } from './api/hooks.tsx';
import { App } from './app/App.tsx';

initI18n();
const station = createStation();
const queryClient = createQueryClient(station);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App station={station} queryClient={queryClient} />
  </StrictMode>,
);

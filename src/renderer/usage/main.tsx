import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../common/styles.css';
import './usage.css';
import { UsageApp } from './UsageApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <UsageApp />
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../common/styles.css';
import { LogApp } from './LogApp';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LogApp />
  </StrictMode>,
);

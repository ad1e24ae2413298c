/** The dashboard's entry: restore the tab's sign-in, mount the shell. */
import { createApp } from 'vue';
import App from './App.vue';
import { restore } from './session';
import './style.css';

restore();
createApp(App).mount('#app');

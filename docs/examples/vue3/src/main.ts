import { createApp } from 'vue';
// Defines the elements before the app mounts, so Vue finds their properties.
import '@okr-embed/widgets';
import MyGoals from './MyGoals.vue';

createApp(MyGoals).mount('#app');

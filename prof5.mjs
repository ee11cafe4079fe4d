import { analyzeText } from '/work/main/out/language-server/src/analysis/analyze-file.js';
import { generatedModel } from '/work/main/out/scripts/bench.js';
const text = generatedModel(1000);
for (let i=0;i<40;i++) analyzeText(text);
const m=(f)=>{const s=[];for(let i=0;i<60;i++){const t=performance.now();f();s.push(performance.now()-t);}s.sort((a,b)=>a-b);return s[30].toFixed(2)};
console.log('all', m(()=>analyzeText(text)));
const before = process.memoryUsage().heapUsed; 

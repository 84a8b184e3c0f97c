// The projector's live part, fetched again every few seconds: a plain GET of a small fragment.
(()=>{const live=document.getElementById("projector-live");if(!live)return;
const every=1000*Number(live.dataset.every||3);
const poll=async()=>{try{const r=await fetch(live.dataset.poll,{headers:{"X-Requested-With":"fetch"},cache:"no-store"});
if(r.ok)live.innerHTML=await r.text()}catch(e){}setTimeout(poll,every)};setTimeout(poll,every)})();

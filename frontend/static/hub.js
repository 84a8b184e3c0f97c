// Posts forms without a full reload and announces the answer in the live region.
document.cookie="hub_tz="+Intl.DateTimeFormat().resolvedOptions().timeZone+";path=/;samesite=lax";
// A tap that never reached the hub (the phone lost its connection) says so: nothing was saved.
const OFFLINE={en:"You're offline \u2014 not saved. Try again.",es:"Sin conexión: no se guardó. Inténtelo de nuevo."};
document.addEventListener("submit",async e=>{
const f=e.target;if(f.method!="post")return;e.preventDefault();
// A double-click posts once: the form stays busy until its answer has replaced the page.
if(f.getAttribute("aria-busy")=="true")return;f.setAttribute("aria-busy","true");
const body=new FormData(f,e.submitter);let r,d;
try{r=await fetch(f.action,{method:"POST",body,headers:{"X-Requested-With":"fetch"}});d=new DOMParser().parseFromString(await r.text(),"text/html")}
catch(err){f.removeAttribute("aria-busy");document.getElementById("status").textContent=OFFLINE[document.documentElement.lang]||OFFLINE.en;return}
if(r.redirected){history.pushState(null,"",r.url);document.title=d.title;document.documentElement.lang=d.documentElement.lang;document.body.replaceWith(d.body);return}
document.querySelector("main").replaceWith(d.querySelector("main"));
document.getElementById("status").textContent=d.getElementById("status").textContent;
(document.querySelector("[aria-invalid=true]")||document.querySelector("main")).focus();
});

"""Check links: internal ones against the page tree and media, external ones over
HTTP with timeouts, bounded concurrency and a politeness delay per host."""

import asyncio
import re
import time
from collections import defaultdict
from urllib.parse import urlsplit

import httpx

HREF_RE = re.compile(r"""href\s*=\s*["']([^"'#][^"']*)["']""", re.IGNORECASE)
DOC_RE = re.compile(r"^/documents/(\d+)/")
MAX_BODY = 64 * 1024


def links_in(html: str) -> list[str]:
    out = []
    for href in HREF_RE.findall(html or ""):
        href = href.strip()
        if href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        if href not in out:
            out.append(href)
    return out


class ExternalChecker:
    def __init__(self, concurrency=8, timeout=10.0, per_host_delay=0.5, max_redirects=5):
        self.semaphore = asyncio.Semaphore(concurrency)
        self.timeout = timeout
        self.per_host_delay = per_host_delay
        self.max_redirects = max_redirects
        self.last_hit = defaultdict(float)
        self.host_locks = defaultdict(asyncio.Lock)

    async def _polite(self, host):
        async with self.host_locks[host]:
            wait = self.last_hit[host] + self.per_host_delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            self.last_hit[host] = time.monotonic()

    async def check(self, client, url):
        """None when the link works, otherwise a Chinese description of the problem."""
        host = urlsplit(url).netloc
        async with self.semaphore:
            await self._polite(host)
            try:
                async with client.stream("GET", url) as response:
                    received = 0
                    async for chunk in response.aiter_bytes():
                        received += len(chunk)
                        if received >= MAX_BODY:
                            break
                    if response.status_code >= 400:
                        return f"HTTP {response.status_code}"
                    return None
            except httpx.TooManyRedirects:
                return "重定向次数过多"
            except httpx.TimeoutException:
                return "访问超时"
            except (httpx.HTTPError, OSError, ValueError) as exc:
                return f"无法访问（{type(exc).__name__}）"

    async def check_all(self, urls):
        limits = httpx.Timeout(self.timeout)
        async with httpx.AsyncClient(timeout=limits, follow_redirects=True, max_redirects=self.max_redirects,
                                     headers={"User-Agent": "jiujiang-sitegroup-linkcheck"}) as client:
            results = await asyncio.gather(*(self.check(client, url) for url in urls))
        return dict(zip(urls, results, strict=True))

    def run(self, urls):
        """check_all from synchronous code, even where an event loop is already
        running in this thread (then the check runs on a helper thread)."""
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return asyncio.run(self.check_all(urls))
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(asyncio.run, self.check_all(urls)).result()

"""What every page's head says besides the theme's: the page in the other languages, the feed, the
sitemaps, and the share preview (Open Graph and Twitter card tags, with the share image)."""

from __future__ import annotations

from jinja2 import Environment

from build_tools.content.dataset import Dataset
from build_tools.content.model import Claim, SiteLanguage
from build_tools.site import adapter
from build_tools.site.listings import claim_modified
from build_tools.site.opendata import FEED_PATH
from build_tools.site.share import SHARE_DIR, og_locale
from build_tools.site.templating import render_head_tags


def head_tags(
    env: Environment,
    dataset: Dataset,
    language: SiteLanguage,
    site_url: str | None,
    page: tuple[str, str, str],
    claim: Claim | None,
    url: str | None,
    share_images: bool,
) -> str:
    """The tags for one page: ``page`` is its address from the language's root, its title and its
    description (plain text); ``url`` its canonical address when the site has one."""
    page_url, page_title, description = page
    code, languages = language.code, dataset.languages
    address = adapter.language_address(language, languages, site_url)
    title = claim.summary[code] if claim is not None else page_title or language.site_name
    description = description or language.site_description or language.site_name
    image = None
    if share_images:
        # Absolute under site_url, as share previews need; from the server's root otherwise.
        image = address + f"{SHARE_DIR}/{claim.id if claim else 'site'}.png"
    values = {
        "x_default": adapter.language_address(languages[0], languages, site_url) + page_url,
        "feed": address + FEED_PATH,
        "feed_title": f"{language.site_name} — {dataset.catalogues[code].text('feed_title')}",
        "sitemaps": adapter.sitemap_paths(languages, site_url),
        "is_claim": claim is not None,
        "site_name": language.site_name,
        "title": title,
        "description": description,
        "url": url,
        "locale": og_locale(language),
        "alternate_locales": [og_locale(other) for other in languages if other != language],
        "image": image,
        "image_alt": f"{title} — {description}",
        "published": claim.history[0].date if claim is not None else None,
        "modified": claim_modified(claim) if claim is not None else None,
    }
    return render_head_tags(env, values)

<?xml version="1.0" encoding="UTF-8"?>
<!-- Shows an RSS 2.0 or Atom feed opened in a browser as a readable page. Feed readers ignore it. -->
<xsl:stylesheet version="1.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:atom="http://www.w3.org/2005/Atom">
  <xsl:output method="html" encoding="UTF-8" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <xsl:variable name="self" select="(rss/channel/atom:link[@rel='self'] | atom:feed/atom:link[@rel='self'])/@href"/>
    <xsl:variable name="lang" select="rss/channel/language | atom:feed/@xml:lang"/>
    <html lang="{$lang}">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <link rel="icon" href="data:,"/>
        <title><xsl:value-of select="$title"/></title>
        <!-- The top margin keeps the title clear of Chromium's XSLT deprecation banner, which overlays the page. -->
        <style>
          body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 8rem auto 2rem; padding: 0 1rem; line-height: 1.5 }
          .hint { background: #fff6d6; border: 1px solid #e5c96b; padding: .75rem 1rem; border-radius: .5rem }
          code { word-break: break-all }
          li { margin: .75rem 0 }
          time { color: #666; font-size: .9em }
        </style>
      </head>
      <body>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
        <!-- Below the title, not first on the page: wherever the banner ends on a narrow screen, it covers the top. -->
        <p class="hint">
          This is a news feed. Copy this URL into your feed reader to subscribe:
          <code><xsl:value-of select="$self"/></code>
          <xsl:text> </xsl:text>
          <xsl:choose>
            <xsl:when test="contains($lang, '-Latn')">(Ovo je fid vesti: kopirajte adresu u svoj čitač.)</xsl:when>
            <xsl:otherwise>(Ово је фид вести: копирајте адресу у свој читач.)</xsl:otherwise>
          </xsl:choose>
          <xsl:text> </xsl:text>
          <a href="{rss/channel/link | atom:feed/atom:link[@rel='alternate']/@href}">
            <xsl:choose>
              <xsl:when test="contains($lang, '-Latn')">Stranica sajta</xsl:when>
              <xsl:otherwise>Страница сајта</xsl:otherwise>
            </xsl:choose>
          </a>
        </p>
        <ul>
          <xsl:for-each select="rss/channel/item">
            <li>
              <a href="{link}"><xsl:value-of select="title"/></a><br/>
              <!-- RFC 822 as rss.ts writes it: "Wed, 25 Nov 2026 08:00:00 GMT". -->
              <xsl:call-template name="date">
                <xsl:with-param name="year" select="substring(pubDate, 13, 4)"/>
                <xsl:with-param name="month" select="format-number(string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', substring(pubDate, 9, 3))) div 3 + 1, '00')"/>
                <xsl:with-param name="day" select="substring(pubDate, 6, 2)"/>
                <xsl:with-param name="time" select="substring(pubDate, 18, 5)"/>
              </xsl:call-template>
              <div><xsl:value-of select="description"/></div>
            </li>
          </xsl:for-each>
          <xsl:for-each select="atom:feed/atom:entry">
            <li>
              <a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a><br/>
              <!-- RFC 3339 in UTC as atom.ts writes it: "2026-11-25T08:00:00Z". -->
              <xsl:call-template name="date">
                <xsl:with-param name="year" select="substring(atom:published, 1, 4)"/>
                <xsl:with-param name="month" select="substring(atom:published, 6, 2)"/>
                <xsl:with-param name="day" select="substring(atom:published, 9, 2)"/>
                <xsl:with-param name="time" select="substring(atom:published, 12, 5)"/>
              </xsl:call-template>
              <div><xsl:value-of select="atom:summary"/></div>
            </li>
          </xsl:for-each>
        </ul>
      </body>
    </html>
  </xsl:template>

  <!-- One readable form for both formats' dates (feeds publish UTC only): "25. 11. 2026. 08:00 UTC". -->
  <xsl:template name="date">
    <xsl:param name="year"/>
    <xsl:param name="month"/>
    <xsl:param name="day"/>
    <xsl:param name="time"/>
    <time datetime="{$year}-{$month}-{$day}T{$time}Z">
      <xsl:value-of select="concat(number($day), '. ', number($month), '. ', $year, '. ', $time, ' UTC')"/>
    </time>
  </xsl:template>
</xsl:stylesheet>

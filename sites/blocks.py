"""StreamField blocks for article bodies."""

from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

RICH_TEXT_FEATURES = [
    "h2", "h3", "h4", "bold", "italic", "ol", "ul", "link", "document-link", "hr", "superscript", "subscript",
]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label="图片")
    alt = blocks.CharBlock(label="替代文字", required=False, max_length=200,
                           help_text="供读屏软件朗读；留空则使用图片的描述。")
    caption = blocks.CharBlock(label="图注", required=False, max_length=200)

    class Meta:
        icon = "image"
        label = "图片"
        template = "sites/blocks/image_block.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label="文件")
    title = blocks.CharBlock(label="显示名称", required=False, max_length=200)

    class Meta:
        icon = "doc-full"
        label = "文件下载"
        template = "sites/blocks/document_block.html"


class ArticleBodyBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(label="小标题", max_length=200, form_classname="title",
                               template="sites/blocks/heading_block.html")
    paragraph = blocks.RichTextBlock(label="段落", features=RICH_TEXT_FEATURES)
    image = ImageBlock()
    table = TableBlock(label="表格")
    quote = blocks.BlockQuoteBlock(label="引文")
    document = DocumentBlock()

    class Meta:
        label = "正文"

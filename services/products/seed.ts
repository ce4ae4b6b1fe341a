import type { CreateProductRequest } from '../../contracts/products.js';
import type { Logger } from '../../lib/logger.js';
import { ProblemError } from '../../lib/problem.js';
import type { Catalog } from './catalog.js';
import type { Store } from './store.js';

export const demoCatalog: CreateProductRequest[] = [
  { sku: 'MUG-CERAMIC', name: 'Ceramic Mug', description: '350 ml, dishwasher safe', priceCents: 1299, stock: 120 },
  { sku: 'TEE-BLACK-M', name: 'Black T-Shirt (M)', description: 'Organic cotton', priceCents: 2199, stock: 80 },
  { sku: 'HOODIE-GREY-L', name: 'Grey Hoodie (L)', description: 'Brushed fleece', priceCents: 4999, stock: 40 },
  { sku: 'CAP-NAVY', name: 'Navy Cap', description: 'Adjustable strap', priceCents: 1799, stock: 60 },
  { sku: 'BOTTLE-STEEL', name: 'Steel Water Bottle', description: '750 ml, insulated', priceCents: 2499, stock: 75 },
  { sku: 'NOTEBOOK-A5', name: 'A5 Notebook', description: 'Dotted, 192 pages', priceCents: 999, stock: 200 },
  { sku: 'PEN-GEL-3', name: 'Gel Pens (3 pack)', description: 'Black ink', priceCents: 599, stock: 300 },
  { sku: 'STICKER-PACK', name: 'Sticker Pack', description: '12 vinyl stickers', priceCents: 499, stock: 500 },
  { sku: 'TOTE-CANVAS', name: 'Canvas Tote Bag', description: 'Heavy canvas', priceCents: 1599, stock: 90 },
  { sku: 'SOCKS-STRIPE', name: 'Striped Socks', description: 'One size', priceCents: 1099, stock: 150 },
  { sku: 'KEYCHAIN-BRASS', name: 'Brass Keychain', description: 'Engraved logo', priceCents: 799, stock: 5 },
  { sku: 'POSTER-A2', name: 'Poster (A2)', description: 'Matte print', priceCents: 1499, stock: 3 },
];

/**
 * Inserts the demo catalog when the catalog is empty. Two processes seeding at once are safe:
 * the unique SKU index lets one insert per SKU win, and only the winner books the initial stock.
 */
export async function seedDemoCatalog(
  store: Pick<Store, 'products'>,
  catalog: Catalog,
  logger: Logger,
): Promise<number> {
  if ((await store.products.countDocuments({}, { limit: 1 })) > 0) return 0;
  let created = 0;
  for (const product of demoCatalog) {
    try {
      await catalog.create(product);
      created++;
    } catch (error) {
      if (!(error instanceof ProblemError && error.status === 409)) throw error;
    }
  }
  logger.info({ created }, 'demo catalog seeded');
  return created;
}

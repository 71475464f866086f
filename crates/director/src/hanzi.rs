//! Traditional Chinese characters read as simplified ones, so the checks that read Chinese (the gate's identity and
//! claim rules, the list of what the host may say about itself) see 庫存告急, 全國聯保 and 三十塊錢 as the words
//! their lists are written in.
//!
//! The pairs are the single-character entries of OpenCC's traditional-to-simplified table (TSCharacters, Apache
//! License 2.0; see THIRD_PARTY.md at the repository's root) whose simplified form occurs somewhere in this
//! crate's sources, plus 著 → 着 and 妳 → 你, which the lists read that way. A character outside the table is kept
//! as it is. When a new word list brings new characters, regenerate the table (the steps are in THIRD_PARTY.md).

use std::collections::HashMap;
use std::sync::OnceLock;

const TRADITIONAL: &str = "丟並乾亂佈併來係俬倆倉個們備傢傷僅價億儘償優兌兒內兩冊凈別則剋剛劃動務勸匯區卹卽厠厤參叄員唄唸問啞喫\
     單喲嗎嘍嘗噁噹嚇嚐嚨嚮囌國圍園圓圖團執堅報場塊塗壓壞壺夠夥奬妝婦媽嬰孃孫學實寫寬寵寶將專尋對導層屬峽\
     嵗帥師帶幣幫幹幾庫廁廚廠廢廣廳弔張強彆彈彔彙後徑從復悶惡愛態慶憂應懷懸戀戶捨掃掛換損搶摺撐撿擔據擬攔\
     攢敎敗敵數斷於昇時暈暢暫曆曏曬書會東査桿條棄棊棟業極榦槍樓標樣樸橋機檔檢檯檻櫃欄權歐歡歲歷歸殘殺氣決\
     沒沖況洩涼淨減測準溫滙滾滿漲潑潤濺濾為烏無煩熱燈燒燙營爛爭爲爺牀獃獄獎獵現瑪產産甦畢異當疊瘋療癒癡發\
     皁盃盞盡監盤盧眞眾睏確碼祕禮種稱穀積穩筆箇節簡簽籤糰糾紀約紅紋納純級紮細紹終組結絕給統絲絶經綠綫維網\
     綵緊緑線緻縴總繞繩繫繼續纍纔纖罰羣羨義翫聞聯聲職聽聾脣脩脫腦腫腳膚臉臥臺與興舉舊萬葉葯蓋蔘薦藍藝藥蘇\
     蘋蘭處虛號虧蟲蠟蠶蠻衆衕衛衝裏補裝裡製複覈見規視親覺觀訂計記設許訴診註証評詞詢試話該詳誇認誒語誠誤說\
     説誰調請論諮講謝證識譜議護讀變讓讚豐豬貓貝負貨責貳貴買貸費資賠賣賤質賬賭賺購贅贈贊趕軀車軌軟輕輛輸轉\
     辦農迴這連週進遊運過達遞遠適選遺還邊郵鄉醜醣醫釋釐釦鈕鈡銀銹鋁鋪鋼錄錢錯録錶鍋鍾鎊鏈鏡鏽鐘鐵長門閃開\
     間閤閨閱閲闆闇關陞陸陽隊際隨險隱隻雙雜雞離難電靈靜韆韓韻頁頂項順須領頭顆題額顏顔願類顧顯風颱飛飯飽養\
     餓餘饋饞馬騙騷驅驗驚體髮鬆鬚鮮鱉鳥鷄麪麫麵麼麽黃點鼕齒齡齣齪齷龍𡻕著妳";
const SIMPLIFIED: &str = "丢并干乱布并来系私俩仓个们备家伤仅价亿尽偿优兑儿内两册净别则克刚划动务劝汇区恤即厕历参叁员呗念问哑吃\
     单哟吗喽尝恶当吓尝咙向苏国围园圆图团执坚报场块涂压坏壶够伙奖妆妇妈婴娘孙学实写宽宠宝将专寻对导层属峡\
     岁帅师带币帮干几库厕厨厂废广厅吊张强别弹录汇后径从复闷恶爱态庆忧应怀悬恋户舍扫挂换损抢折撑捡担据拟拦\
     攒教败敌数断于升时晕畅暂历向晒书会东查杆条弃棋栋业极干枪楼标样朴桥机档检台槛柜栏权欧欢岁历归残杀气决\
     没冲况泄凉净减测准温汇滚满涨泼润溅滤为乌无烦热灯烧烫营烂争为爷床呆狱奖猎现玛产产苏毕异当叠疯疗愈痴发\
     皂杯盏尽监盘卢真众困确码秘礼种称谷积稳笔个节简签签团纠纪约红纹纳纯级扎细绍终组结绝给统丝绝经绿线维网\
     彩紧绿线致纤总绕绳系继续累才纤罚群羡义玩闻联声职听聋唇修脱脑肿脚肤脸卧台与兴举旧万叶药盖参荐蓝艺药苏\
     苹兰处虚号亏虫蜡蚕蛮众同卫冲里补装里制复核见规视亲觉观订计记设许诉诊注证评词询试话该详夸认诶语诚误说\
     说谁调请论咨讲谢证识谱议护读变让赞丰猪猫贝负货责贰贵买贷费资赔卖贱质账赌赚购赘赠赞赶躯车轨软轻辆输转\
     办农回这连周进游运过达递远适选遗还边邮乡丑糖医释厘扣钮钟银锈铝铺钢录钱错录表锅钟镑链镜锈钟铁长门闪开\
     间合闺阅阅板暗关升陆阳队际随险隐只双杂鸡离难电灵静千韩韵页顶项顺须领头颗题额颜颜愿类顾显风台飞饭饱养\
     饿余馈馋马骗骚驱验惊体发松须鲜鳖鸟鸡面面面么么黄点冬齿龄出龊龌龙岁着你";

/// `c` in its simplified form, or `c` itself.
pub fn simplified(c: char) -> char {
    static MAP: OnceLock<HashMap<char, char>> = OnceLock::new();
    let map = MAP.get_or_init(|| TRADITIONAL.chars().zip(SIMPLIFIED.chars()).collect());
    map.get(&c).copied().unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_two_halves_pair_up_and_common_words_fold() {
        assert_eq!(TRADITIONAL.chars().count(), SIMPLIFIED.chars().count());
        let folded: String = "庫存告急，全國聯保，三十塊錢，加贈，們".chars().map(simplified).collect();
        assert_eq!(folded, "库存告急，全国联保，三十块钱，加赠，们");
        assert_eq!(simplified('a'), 'a');
    }
}
